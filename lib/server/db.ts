import "server-only";
import { createDb } from "@/db/client";
import { webEnv } from "@/lib/env/web";

const globalForDb = globalThis as unknown as { tandemDb?: ReturnType<typeof createDb> };

/** The web process's pool, created on first use and kept across dev reloads. */
export function getDb() {
  globalForDb.tandemDb ??= createDb(webEnv().DATABASE_URL, { max: 20 });
  return globalForDb.tandemDb.db;
}
