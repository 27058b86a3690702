import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";

/** Channel that wakes webhook processors; they also poll, so a lost wake-up delays, never loses. */
export const WEBHOOK_EVENTS_CHANNEL = "tandem_webhook_events";

/**
 * Sent after the event is committed, outside its transaction: a NOTIFY-only statement writes no WAL,
 * so it does not hold PostgreSQL's commit-serialising notify lock across a disk flush.
 */
export async function wakeWebhookProcessors(db: Executor) {
  await db.execute(sql`select pg_notify(${WEBHOOK_EVENTS_CHANNEL}, '')`);
}
