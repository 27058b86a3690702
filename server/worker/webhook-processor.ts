import type { Logger } from "pino";
import type { Database, Sql } from "@/db/client";
import { processWebhookEvents } from "@/lib/services/webhooks/process-webhook-events";
import { WEBHOOK_EVENTS_CHANNEL } from "@/lib/services/webhooks/webhook-queue";

/** A lost wake-up (notification sent while no worker listened) costs at most this long. */
const POLL_MS = 1_000;

/**
 * Drains pending webhook events: `loops` concurrent batch loops, woken by NOTIFY from the intake
 * and by a poll. Several worker processes can run this against one database (SKIP LOCKED).
 */
export async function startWebhookProcessor(deps: {
  db: Database;
  sql: Sql;
  loops: number;
  batchSize: number;
  log: Logger;
  onBatch?: (result: Awaited<ReturnType<typeof processWebhookEvents>>) => void;
}) {
  const waiters = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of waiters) wake();
    waiters.clear();
  };
  const listener = await deps.sql.listen(WEBHOOK_EVENTS_CHANNEL, wakeAll);
  let stopped = false;

  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, POLL_MS);
      function done() {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      }
      waiters.add(done);
    });

  const ctx = { db: deps.db, sql: deps.sql, actor: { kind: "system", name: "webhook-processor" } } as const;
  const loop = async () => {
    while (!stopped) {
      try {
        const result = await processWebhookEvents({ ctx, input: { limit: deps.batchSize } });
        deps.onBatch?.(result);
        for (const failure of result.failed) deps.log.warn({ eventId: failure.id, error: failure.error }, "webhook event failed");
        if (result.claimed === 0) await sleep();
      } catch (error) {
        deps.log.error({ err: error }, "webhook batch failed; retrying");
        await new Promise((r) => setTimeout(r, 250));
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
