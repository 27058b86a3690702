import { timingSafeEqual } from "node:crypto";
import { and, gt, ne, sql } from "drizzle-orm";
import { AggregatorRegistry, Gauge, type MetricObjectWithValues, type MetricValue, Registry } from "prom-client";
import { getWebhookQueueLag } from "@/db/queries/webhooks";
import { processMetrics } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { processMetrics as metricsOfThisProcess } from "@/lib/metrics/registry";
import type { Ctx } from "../context";

type Snapshot = MetricObjectWithValues<MetricValue<string>>[];

/** Reports older than this come from processes that stopped; they are left out. */
const FRESH_SECONDS = 30;

function checkToken(expected: string | undefined, authorization: string | null) {
  if (!expected) throw new AppError("NOT_FOUND", "Metrics are off: set TANDEM_METRICS_TOKEN to turn them on.");
  const given = Buffer.from(authorization?.replace(/^Bearer\s+/i, "") ?? "");
  const wanted = Buffer.from(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new AppError("UNAUTHORIZED", "Send the metrics token as `Authorization: Bearer <token>`.");
  }
}

/**
 * The Prometheus exposition of the whole deployment: this web process's live registry, the latest
 * report of every other process (each labelled with its service and instance), and the processing
 * lag read from the queue itself.
 */
export async function collectMetrics({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { token: string | undefined; authorization: string | null };
}) {
  checkToken(input.token, input.authorization);
  const own = metricsOfThisProcess("web");
  const others = await ctx.db
    .select({ metrics: processMetrics.metrics })
    .from(processMetrics)
    .where(
      and(
        ne(processMetrics.instance, own.instance),
        gt(processMetrics.reportedAt, sql`now() - make_interval(secs => ${FRESH_SECONDS})`),
      ),
    );

  const lag = await getWebhookQueueLag(ctx.db);
  const queue = new Registry();
  new Gauge({ name: "tandem_webhook_events_pending", help: "Stored webhook events not yet applied.", registers: [queue] }).set(
    lag.pending,
  );
  new Gauge({
    name: "tandem_webhook_oldest_pending_seconds",
    help: "Age of the oldest stored webhook event not yet applied.",
    registers: [queue],
  }).set(lag.oldestPendingSeconds);

  const snapshots: Snapshot[] = [
    await own.registry.getMetricsAsJSON(),
    await queue.getMetricsAsJSON(),
    ...others.map((o) => o.metrics as Snapshot),
  ];
  const merged = AggregatorRegistry.aggregate(snapshots);
  return { contentType: merged.contentType, body: await merged.metrics() };
}
