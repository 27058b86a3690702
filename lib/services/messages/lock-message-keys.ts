import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";

/**
 * Serialises work on the same WhatsApp message id until the transaction ends. A message and an
 * edit, revoke, media follow-up or status for it can be processed at the same moment by different
 * workers; without the lock each transaction misses the other's uncommitted row and the change is
 * never applied. Keys are sorted so two transactions never wait on each other in a cycle. A query
 * (null for no keys), started when awaited or `pipelined`.
 */
export function lockMessageKeys(db: Executor, numberId: string, wamids: string[]) {
  const keys = [...new Set(wamids)].sort();
  if (keys.length === 0) return null;
  return db.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${numberId} || ':' || k, 0)) from unnest(${sql.param(keys)}::text[]) as k`,
  );
}
