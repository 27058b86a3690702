import "server-only";
import { createDb } from "@/db/client";
import { webEnv } from "@/lib/env/web";

const globalForDb = globalThis as unknown as { tandemDb?: ReturnType<typeof createDb> };

function pool() {
  globalForDb.tandemDb ??= createDb(webEnv().DATABASE_URL, { max: webEnv().WEB_DB_POOL_SIZE });
  return globalForDb.tandemDb;
}

/** The web process's pool, created on first use and kept across dev reloads. */
export const getDb = () => pool().db;
/** The same pool as the driver itself, for hot paths that skip drizzle's query building. */
export const getSql = () => pool().sql;
