import { randomUUID } from "node:crypto";
import { sql as drizzleSql } from "drizzle-orm";
import { Counter, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { withTransaction } from "@/db/client";
import { getWebhookQueueLag } from "@/db/queries/webhooks";
import { processMetrics } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { AppError } from "@/lib/errors";
import type { Ctx } from "../context";
import { collectMetrics } from "./collect-metrics";

const { db, sql } = connectTestDatabase();
const ctx = { db, actor: { kind: "system", name: "test" } } satisfies Ctx;
const token = "metrics-token-for-tests-0123";

/** A snapshot as another process reports it: one counter, labelled with its service and instance. */
async function snapshotOf(instance: string, processed: number) {
  const registry = new Registry();
  registry.setDefaultLabels({ service: "worker", instance });
  new Counter({ name: "tandem_webhook_events_processed_total", help: "processed", registers: [registry] }).inc(processed);
  return registry.getMetricsAsJSON();
}

describe("processing lag and metrics", () => {
  it("the lag counts pending events and the age of the oldest", async () => {
    await withTransaction(sql, async (tx) => {
      // One snapshot for the whole check, so other test files' events do not move the counts.
      await tx.sql`set transaction isolation level repeatable read`;
      const before = await getWebhookQueueLag(tx.db);
      for (const age of [3600, 10]) {
        await tx.sql`insert into webhook_events (body_sha256, body, received_at)
          values (${randomUUID()}, ${Buffer.from("{}")}, now() - make_interval(secs => ${age}))`;
      }
      const after = await getWebhookQueueLag(tx.db);
      expect(after.pending - before.pending).toBe(2);
      expect(after.oldestPendingSeconds).toBeGreaterThanOrEqual(3600);
      throw new RollbackForTest();
    }).catch((error) => {
      if (!(error instanceof RollbackForTest)) throw error;
    });
  });

  it("metrics need the configured token, and are off without one", async () => {
    const attempt = (configured: string | undefined, authorization: string | null) =>
      collectMetrics({ ctx, input: { token: configured, authorization } }).then(
        () => "ok",
        (error) => (error instanceof AppError ? error.code : "other"),
      );
    expect(await attempt(undefined, `Bearer ${token}`)).toBe("NOT_FOUND");
    expect(await attempt(token, null)).toBe("UNAUTHORIZED");
    expect(await attempt(token, "Bearer not-the-token-at-all-00")).toBe("UNAUTHORIZED");
    expect(await attempt(token, `Bearer ${token}`)).toBe("ok");
  });

  it("metrics show every process's latest report and the queue, leaving out stopped processes", async () => {
    const live = `worker@test-${randomUUID()}`;
    const stopped = `worker@test-${randomUUID()}`;
    await db.insert(processMetrics).values([
      { instance: live, service: "worker", metrics: await snapshotOf(live, 7), reportedAt: drizzleSql`now()` },
      {
        instance: stopped,
        service: "worker",
        metrics: await snapshotOf(stopped, 3),
        reportedAt: drizzleSql`now() - interval '5 minutes'`,
      },
    ]);
    const { body, contentType } = await collectMetrics({ ctx, input: { token, authorization: `Bearer ${token}` } });
    expect(contentType).toMatch(/^text\/plain/);
    expect(body).toContain(`tandem_webhook_events_processed_total{service="worker",instance="${live}"} 7`);
    expect(body).not.toContain(stopped);
    expect(body).toMatch(/^tandem_webhook_events_pending \d+$/m);
    expect(body).toMatch(/^tandem_webhook_oldest_pending_seconds [\d.]+$/m);
    expect(body).toContain("tandem_webhook_ack_seconds_bucket");
  });
});

class RollbackForTest extends Error {}
