import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { logger } from "@/lib/logger";

/** Channel that wakes webhook processors; they also poll, so a lost wake-up delays, never loses. */
export const WEBHOOK_EVENTS_CHANNEL = "tandem_webhook_events";

/** Under load one wake-up per this many milliseconds is enough: busy workers do not sleep. */
const WAKE_INTERVAL_MS = 5;

let sending = false;
let pending = false;
let lastSentAt = 0;

/**
 * Wakes the workers after an event is committed. Sent outside the event's transaction: a
 * NOTIFY-only statement writes no WAL, so it does not hold PostgreSQL's commit-serialising notify
 * lock across a disk flush. Not awaited (the acknowledgement must not wait for it) and coalesced
 * per process: the first call after a quiet spell notifies at once, a burst at most every 5 ms,
 * and every call is followed by at least one notification sent after it.
 */
export function wakeWebhookProcessors(db: Executor) {
  pending = true;
  if (sending) return;
  sending = true;
  void (async () => {
    try {
      while (pending) {
        const wait = lastSentAt + WAKE_INTERVAL_MS - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        pending = false;
        lastSentAt = performance.now();
        await db.execute(sql`select pg_notify(${WEBHOOK_EVENTS_CHANNEL}, '')`);
      }
    } catch (error) {
      logger.warn({ err: error }, "wake-up not sent; workers will poll");
    } finally {
      sending = false;
    }
  })();
}
