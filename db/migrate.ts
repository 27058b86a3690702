import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { Logger, runMigrations as runWorkerMigrations } from "graphile-worker";
import postgres from "postgres";

const silent = new Logger(() => () => {});

/** Applies Tandem's committed drizzle-kit migrations and graphile-worker's own schema. */
export async function migrateDatabase(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    // Serialises concurrent launchers (several machines starting at once).
    await sql`select pg_advisory_lock(hashtext('tandem:migrate'))`;
    await migrate(drizzle(sql), { migrationsFolder: path.join(import.meta.dirname, "migrations") });
    await runWorkerMigrations({ connectionString: url, logger: silent });
  } finally {
    await sql.end();
  }
}

/** Runs `fn` on the server's `postgres` database with the target database's quoted name. */
async function onServer(url: string, fn: (sql: postgres.Sql, name: { raw: string; quoted: string }) => Promise<void>) {
  const raw = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    await fn(sql, { raw, quoted: `"${raw.replace(/"/g, '""')}"` });
  } finally {
    await sql.end();
  }
}

/** Creates the database named in `url` on its server when it does not exist yet. */
export function ensureDatabase(url: string) {
  return onServer(url, async (sql, name) => {
    const [row] = await sql`select 1 from pg_database where datname = ${name.raw}`;
    if (row) return;
    await sql.unsafe(`create database ${name.quoted}`).catch((e: { code?: string }) => {
      if (e.code !== "42P04") throw e; // created concurrently
    });
  });
}

/** Drops and recreates a database: test runs start from nothing. */
export function recreateDatabase(url: string) {
  return onServer(url, async (sql, name) => {
    await sql.unsafe(`drop database if exists ${name.quoted} with (force)`);
    await sql.unsafe(`create database ${name.quoted}`);
  });
}
