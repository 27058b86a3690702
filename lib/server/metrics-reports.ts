import "server-only";
import { loggerFor } from "@/lib/logger";
import { METRICS_REPORT_INTERVAL_MS, reportMetrics } from "@/lib/services/system/report-metrics";
import { getDb } from "./db";

const log = loggerFor("web");

/** The web process's periodic metrics report; a failed report is retried at the next tick. */
export function startWebMetricsReports() {
  const timer = setInterval(() => {
    reportMetrics(getDb(), "web").catch((err) => log.warn({ err }, "metrics report failed"));
  }, METRICS_REPORT_INTERVAL_MS);
  timer.unref();
}
