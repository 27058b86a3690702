/**
 * Runs once when a web process starts: reports its metrics to PostgreSQL every few seconds, so
 * `/api/metrics` on any web process of any machine includes this one's intake figures.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startWebMetricsReports } = await import("@/lib/server/metrics-reports");
  startWebMetricsReports();
}
