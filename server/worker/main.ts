import { Logger, run, type TaskList } from "graphile-worker";
import { createDb } from "@/db/client";
import { workerEnv } from "@/lib/env/worker";
import type { JobPayloads } from "@/lib/jobs/enqueue";
import { loggerFor } from "@/lib/logger";
import { createMediaStorage } from "@/lib/media/storage";
import { processMetrics } from "@/lib/metrics/registry";
import { wakeConversation } from "@/lib/services/conversations/wake-conversation";
import { downloadMedia } from "@/lib/services/media/download-media";
import { deliverMessage } from "@/lib/services/messages/deliver-message";
import { beat, HEARTBEAT_INTERVAL_MS } from "@/lib/services/system/heartbeat";
import { METRICS_REPORT_INTERVAL_MS, reportMetrics } from "@/lib/services/system/report-metrics";
import { syncTemplates } from "@/lib/services/templates/sync-templates";
import { createGraphClient } from "@/lib/whatsapp/graph-client";
import { lowerProcessPriority } from "./priority";
import { startWebhookProcessor } from "./webhook-processor";

/**
 * The worker process: applies stored webhook events in batches, and runs durable jobs (sends, media
 * downloads) from graphile-worker. Both are woken by LISTEN/NOTIFY, so live traffic is handled
 * within milliseconds; several workers may run against one database.
 */
const env = workerEnv();
const log = loggerFor("worker");
const metrics = processMetrics("worker");
// Acks first: on a shared machine the scheduler favours the web process (intake) over processing,
// which may fall behind under overload and catches up after it.
try {
  lowerProcessPriority(env.WORKER_NICENESS);
} catch (err) {
  log.warn({ err }, "could not lower the worker's priority");
}
// Every query prepared: one round trip instead of two. A live batch is about 20 statements, and
// under CPU contention each round trip waits for this (lowered-priority) process to be scheduled.
// Each run is still planned for its own values, as an unnamed statement was.
const { db, sql } = createDb(env.DATABASE_URL, {
  max: env.WORKER_DB_POOL_SIZE ?? env.WORKER_CONCURRENCY + env.WEBHOOK_PROCESSOR_LOOPS + 2,
  connection: { plan_cache_mode: "force_custom_plan" },
  prepare: true,
});
const graph = createGraphClient({ baseUrl: env.META_GRAPH_URL, version: env.META_GRAPH_VERSION });
const storage = createMediaStorage(env);
const system = { kind: "system", name: "worker" } as const;

const tasks: TaskList = {
  "send-message": async (payload) => {
    const { messageId } = payload as JobPayloads["send-message"];
    const result = await deliverMessage({ ctx: { db, actor: system, secret: env.AUTH_SECRET }, input: { messageId, graph } });
    metrics.sends.inc({ number: result.numberId ?? "unknown", outcome: result.status });
  },
  "sync-templates": async (payload) => {
    const { numberId } = payload as JobPayloads["sync-templates"];
    await syncTemplates({ ctx: { db, actor: system, secret: env.AUTH_SECRET }, input: { numberId, graph } });
  },
  "wake-conversation": async (payload) => {
    const { conversationId } = payload as JobPayloads["wake-conversation"];
    await wakeConversation({ ctx: { db, actor: system }, input: { conversationId } });
  },
  "download-media": async (payload) => {
    const { assetId } = payload as JobPayloads["download-media"];
    await downloadMedia({ ctx: { db, actor: system, secret: env.AUTH_SECRET }, input: { assetId, graph, storage } });
  },
};

// Per-job completion lines would be thousands a second under load; keep warnings, errors and lifecycle.
let stopping = false;
const logger = new Logger((scope) => (level, message, meta) => {
  // Ctrl-C also reaches PostgreSQL, which may close connections before this process has stopped.
  if (level === "debug" || message.startsWith("Completed task") || (stopping && message.includes("PostgreSQL"))) return;
  const method = level === "error" ? "error" : level === "warning" ? "warn" : "info";
  log[method]({ scope: scope.label, ...(meta?.error ? { err: meta.error } : {}) }, message);
});

const runner = await run({
  connectionString: env.DATABASE_URL,
  concurrency: env.WORKER_CONCURRENCY,
  taskList: tasks,
  logger,
  noHandleSignals: true,
  parsedCronItems: [],
  pollInterval: 1000,
});

const webhooks = await startWebhookProcessor({
  db,
  sql,
  loops: env.WEBHOOK_PROCESSOR_LOOPS,
  batchSize: env.WEBHOOK_BATCH_SIZE,
  log: ({ level, message, ...fields }: { level?: string; message?: string }) =>
    log[level === "error" ? "error" : level === "warn" ? "warn" : "info"](fields, message ?? ""),
  onBatch: (result) => {
    metrics.processed.inc(result.processed.length);
    metrics.processingFailures.inc(result.failed.length);
  },
});

await beat(db, "worker");
const heartbeat = setInterval(
  () => beat(db, "worker").catch((err) => log.error({ err }, "heartbeat failed")),
  HEARTBEAT_INTERVAL_MS,
);
const metricsReport = setInterval(
  () => reportMetrics(db, "worker").catch((err) => log.warn({ err }, "metrics report failed")),
  METRICS_REPORT_INTERVAL_MS,
);
log.info({ concurrency: env.WORKER_CONCURRENCY, niceness: env.WORKER_NICENESS }, "worker ready");

async function shutdown() {
  // Ctrl-C reaches the worker twice: from the terminal and from the launcher.
  if (stopping) return;
  stopping = true;
  clearInterval(heartbeat);
  clearInterval(metricsReport);
  await webhooks.stop();
  await runner.stop();
  await sql.end({ timeout: 5 });
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
