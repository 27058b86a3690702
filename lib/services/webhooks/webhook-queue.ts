import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";

/** Channel that wakes webhook processors; they also poll, so a lost wake-up delays, never loses. */
export const WEBHOOK_EVENTS_CHANNEL = "tandem_webhook_events";

let sending = false;
let pending = false;

/**
 * Wakes the workers after an event is committed. Sent outside the event's transaction: a
 * NOTIFY-only statement writes no WAL, so it does not hold PostgreSQL's commit-serialising notify
 * lock across a disk flush. Not awaited (the acknowledgement must not wait for it) and coalesced
 * per process: every call is followed by at least one notification sent after it.
 */
export function wakeWebhookProcessors(db: Executor) {
  pending = true;
  if (sending) return;
  sending = true;
  void (async () => {
    try {
      while (pending) {
        pending = false;
        await db.execute(sql`select pg_notify(${WEBHOOK_EVENTS_CHANNEL}, '')`);
      }
    } catch (error) {
      console.error(JSON.stringify({ level: "warn", message: "wake-up not sent; workers will poll", error: String(error) }));
    } finally {
      sending = false;
    }
  })();
}
