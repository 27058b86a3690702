import { ensureDatabase, migrateDatabase } from "@/db/migrate";

/** Integration tests run against a real PostgreSQL: DATABASE_URL, migrated here (idempotent). */
export default async function setup() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("Integration tests need DATABASE_URL (npm test provides one).");
  await ensureDatabase(url);
  await migrateDatabase(url);
}
