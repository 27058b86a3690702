import { createDb } from "@/db/client";
import { realtimeEnv } from "@/lib/env/realtime";
import { loggerFor } from "@/lib/logger";
import { processMetrics } from "@/lib/metrics/registry";
import { beat, HEARTBEAT_INTERVAL_MS } from "@/lib/services/system/heartbeat";
import { METRICS_REPORT_INTERVAL_MS, reportMetrics } from "@/lib/services/system/report-metrics";
import { runClustered } from "../cluster";
import { createRealtimeServer } from "./create-realtime-server";

/**
 * The realtime sidecar: TANDEM_REALTIME_PROCESSES processes behind one port. Browsers use the
 * WebSocket transport only, so a socket never needs to reach the process that opened it again,
 * and each process LISTENs to PostgreSQL itself.
 */
const env = realtimeEnv();
const log = loggerFor("realtime");

await runClustered({ count: env.TANDEM_REALTIME_PROCESSES, log, start });

async function start() {
  // Every query prepared: a notice's content is read in one round trip instead of two, each run
  // still planned for its own values.
  const { db, sql } = createDb(env.DATABASE_URL, {
    max: env.REALTIME_DB_POOL_SIZE,
    connection: { plan_cache_mode: "force_custom_plan" },
    prepare: true,
  });
  const metrics = processMetrics("realtime");
  const server = createRealtimeServer({ db, sql, secret: env.AUTH_SECRET, corsOrigin: env.WEB_ORIGIN.split(","), log });
  const { port } = await server.listen(env.REALTIME_PORT, env.REALTIME_HOST);

  await beat(db, "realtime");
  const heartbeat = setInterval(
    () => beat(db, "realtime").catch((err) => log.error({ err }, "heartbeat failed")),
    HEARTBEAT_INTERVAL_MS,
  );
  const metricsReport = setInterval(() => {
    metrics.sockets.set(server.io.engine.clientsCount);
    reportMetrics(db, "realtime").catch((err) => log.warn({ err }, "metrics report failed"));
  }, METRICS_REPORT_INTERVAL_MS);
  log.info({ url: `http://${env.REALTIME_HOST}:${port}` }, "realtime ready");

  let stopping = false;
  async function shutdown() {
    if (stopping) return;
    stopping = true;
    clearInterval(heartbeat);
    clearInterval(metricsReport);
    await server.close();
    await sql.end({ timeout: 5 });
    process.exit(0);
  }
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}
