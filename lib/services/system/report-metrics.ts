import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { processMetrics } from "@/db/schema";
import { processMetrics as metricsOfThisProcess } from "@/lib/metrics/registry";

/** How often each process reports its metrics; `/api/metrics` drops reports older than 30 s. */
export const METRICS_REPORT_INTERVAL_MS = 5_000;

/** Stores this process's registry (counters, histograms, gauges) for `/api/metrics` to merge. */
export async function reportMetrics(db: Executor, service: "web" | "worker" | "realtime") {
  const metrics = metricsOfThisProcess(service);
  const snapshot = await metrics.registry.getMetricsAsJSON();
  await db
    .insert(processMetrics)
    .values({ instance: metrics.instance, service, metrics: snapshot, reportedAt: sql`now()` })
    .onConflictDoUpdate({ target: processMetrics.instance, set: { metrics: snapshot, reportedAt: sql`now()` } });
}
