import type { Database, Sql } from "@/db/client";
import { describeFailure } from "@/lib/services/webhooks/describe-failure";
import { processWebhookEvents, type RetryPolicy, recordFailedAttempt } from "@/lib/services/webhooks/process-webhook-events";
import { WEBHOOK_EVENTS_CHANNEL } from "@/lib/services/webhooks/webhook-queue";

/** A lost wake-up (notification sent while no worker listened) costs at most this long. */
const POLL_MS = 1_000;
/** Pause after a batch failed as a whole (the database unreachable, say), before the next try. */
const BATCH_FAILURE_PAUSE_MS = 250;

/**
 * Drains pending webhook events: `loops` concurrent batch loops, woken by NOTIFY from the intake
 * and by a poll. Several worker processes can run this against one database (SKIP LOCKED). When a
 * batch fails as a whole, its events are tried one by one, so one event can only hold back itself:
 * its tries are counted and it is retried with backoff, then failed.
 */
export async function startWebhookProcessor(deps: {
  db: Database;
  sql: Sql;
  loops: number;
  batchSize: number;
  log: (line: object) => void;
  /** Every applied batch, for metrics. */
  onBatch?: (result: Awaited<ReturnType<typeof processWebhookEvents>>) => void;
  retry?: RetryPolicy;
  pollMs?: number;
}) {
  const waiters = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of waiters) wake();
    waiters.clear();
  };
  const listener = await deps.sql.listen(WEBHOOK_EVENTS_CHANNEL, wakeAll);
  let stopped = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      }
      waiters.add(done);
    });

  const ctx = { db: deps.db, sql: deps.sql, actor: { kind: "system", name: "webhook-processor" } } as const;

  const report = (result: Awaited<ReturnType<typeof processWebhookEvents>>) => {
    deps.onBatch?.(result);
    for (const failure of result.failed)
      deps.log({ level: "warn", message: "webhook event failed", eventId: failure.id, error: failure.error });
    for (const later of result.retry)
      deps.log({
        level: "info",
        message: "webhook event will be retried",
        eventId: later.id,
        attempts: later.attempts,
        error: later.error,
      });
    for (const note of result.notes) deps.log({ level: "warn", message: note.message, eventId: note.id });
  };

  /** Tries each event of a failed batch alone; the one that fails again has its try counted. */
  const isolate = async (eventIds: number[]) => {
    for (const eventId of eventIds) {
      try {
        report(await processWebhookEvents({ ctx, input: { eventIds: [eventId], retry: deps.retry, pendingOnly: true } }));
      } catch (error) {
        deps.log({ level: "error", message: "webhook event failed its batch", eventId, error: describeFailure(error) });
        await recordFailedAttempt({ ctx, input: { eventId, error, retry: deps.retry } }).catch((e) =>
          deps.log({ level: "error", message: "could not count a failed try", eventId, error: describeFailure(e) }),
        );
      }
    }
  };

  const loop = async () => {
    while (!stopped) {
      let claimed: number[] = [];
      try {
        const result = await processWebhookEvents({
          ctx,
          input: { limit: deps.batchSize, retry: deps.retry, onClaim: (ids) => (claimed = ids) },
        });
        report(result);
        if (result.claimed === 0) await sleep(deps.pollMs ?? POLL_MS);
      } catch (error) {
        deps.log({
          level: "error",
          message: "webhook batch failed; trying its events one by one",
          error: describeFailure(error),
        });
        if (claimed.length) await isolate(claimed);
        else await sleep(BATCH_FAILURE_PAUSE_MS);
      }
    }
  };
  const loops = Array.from({ length: deps.loops }, loop);

  return {
    async stop() {
      stopped = true;
      wakeAll();
      await Promise.all(loops);
      await listener.unlisten();
    },
  };
}
