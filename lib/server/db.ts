import "server-only";
import { createDb } from "@/db/client";
import { webEnv } from "@/lib/env/web";

const globalForDb = globalThis as unknown as { tandemDb?: ReturnType<typeof createDb> };

function pool() {
  globalForDb.tandemDb ??= createDb(webEnv().DATABASE_URL, {
    max: webEnv().WEB_DB_POOL_SIZE,
    // The web answers in milliseconds: starting parallel workers for a read costs more than the read
    // (a search whose cached plan expects thousands of rows took 250 ms instead of 1 ms). A string:
    // the driver leaves out parameters whose value is falsy, 0 included.
    connection: { max_parallel_workers_per_gather: "0", plan_cache_mode: "force_custom_plan" },
    // Every query prepared: one round trip instead of two (a read is two or three statements). Each
    // run is still planned for its own values (force_custom_plan above): a generic plan of a
    // search or a label filter cannot know how few rows its values find.
    prepare: true,
  });
  return globalForDb.tandemDb;
}

/** The web process's pool, created on first use and kept across dev reloads. */
export const getDb = () => pool().db;
/** The same pool as the driver itself, for hot paths that skip drizzle's query building. */
export const getSql = () => pool().sql;
