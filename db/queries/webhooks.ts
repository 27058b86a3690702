import { and, count, eq, gt, inArray, isNull, lte, ne, or, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { webhookEvents } from "../schema";

/**
 * How far processing is behind intake: stored events not yet applied, and how long the oldest has
 * waited. Served by the (status, id) index, so it stays cheap with a large backlog.
 */
export async function getWebhookQueueLag(db: Executor) {
  const [row] = await db
    .select({
      pending: count(),
      oldestPendingSeconds: sql<number>`coalesce(extract(epoch from now() - min(${webhookEvents.receivedAt})), 0)::float8`,
    })
    .from(webhookEvents)
    .where(eq(webhookEvents.status, "pending"));
  return { pending: row?.pending ?? 0, oldestPendingSeconds: Math.round((row?.oldestPendingSeconds ?? 0) * 1000) / 1000 };
}

/** Columns the processor reads of a stored event. */
const storedEventColumns = {
  id: webhookEvents.id,
  // As base64, not bytea's text form (hex): a third fewer bytes from PostgreSQL for a history chunk of
  // 180 KB, and cheaper for the worker to turn back into bytes.
  body: sql<Buffer>`encode(${webhookEvents.body}, 'base64')`.mapWith((base64: string) => Buffer.from(base64, "base64")),
  // The length as received, read from the value's header without decompressing it (a history
  // chunk is stored about 12x smaller).
  size: sql<number>`octet_length(${webhookEvents.body})`,
  receivedAt: webhookEvents.receivedAt,
  failedItems: webhookEvents.failedItems,
  attempts: webhookEvents.attempts,
};

/** Stored events by id (for update), in arrival order; `pendingOnly` skips those no longer pending. */
export function selectWebhookEventsById(db: Executor, input: { ids: number[]; pendingOnly?: boolean }) {
  return db
    .select(storedEventColumns)
    .from(webhookEvents)
    .where(
      and(
        inArray(webhookEvents.id, input.ids),
        input.pendingOnly ? eq(webhookEvents.status, "pending") : ne(webhookEvents.status, "processed"),
      ),
    )
    .orderBy(webhookEvents.id)
    .for("update");
}

/**
 * The next pending events after `afterId` that are due, in arrival order, locked; those another
 * transaction holds are skipped (SKIP LOCKED), so several loops share the queue. Run it after
 * `holdQueueWalk`.
 */
export function selectPendingWebhookEvents(db: Executor, input: { limit: number; afterId: number }) {
  return db
    .select(storedEventColumns)
    .from(webhookEvents)
    .where(
      and(
        eq(webhookEvents.status, "pending"),
        gt(webhookEvents.id, input.afterId),
        or(isNull(webhookEvents.nextAttemptAt), lte(webhookEvents.nextAttemptAt, sql`now()`)),
      ),
    )
    .orderBy(webhookEvents.id)
    .limit(input.limit)
    .for("update", { skipLocked: true });
}

/**
 * Holds the planner to walking the queue's (status, id) index in order, for the claim statements
 * that follow in this transaction; `releaseQueueWalk` after them, with what this returns. The queue's
 * statistics are usually stale (a backlog arrives within seconds, and autovacuum may be off):
 * estimating a few pending rows, PostgreSQL read and sorted every pending event to return one batch,
 * 30-80 ms a claim with 20,000 pending, growing with the backlog. A query, to send with the first
 * claim (`pipelined`); it returns the settings it replaced (read before they are replaced).
 */
export function holdQueueWalk(db: Executor) {
  return db.execute<HeldSettings>(
    sql`select held.sort, held.bitmapscan, set_config('enable_sort', 'off', true), set_config('enable_bitmapscan', 'off', true)
      from (select current_setting('enable_sort') as sort, current_setting('enable_bitmapscan') as bitmapscan offset 0) held`,
  );
}

type HeldSettings = { sort: string; bitmapscan: string };

/**
 * Gives the planner back the settings `holdQueueWalk` replaced: a query, to send with the last claim
 * (`pipelined`). Reading them from `pg_settings` instead cost PostgreSQL 1-4 ms a claim (the view
 * formats every setting), about 4% of its CPU in a history import.
 */
export function releaseQueueWalk(db: Executor, held: HeldSettings) {
  return db.execute(
    sql`select set_config('enable_sort', ${held.sort}, true), set_config('enable_bitmapscan', ${held.bitmapscan}, true)`,
  );
}
