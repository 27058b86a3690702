import { Logger, run, type TaskList } from "graphile-worker";
import { createDb } from "@/db/client";
import { workerEnv } from "@/lib/env/worker";
import type { JobPayloads } from "@/lib/jobs/enqueue";
import { createDiskStorage } from "@/lib/media/storage";
import { downloadMedia } from "@/lib/services/media/download-media";
import { deliverMessage } from "@/lib/services/messages/deliver-message";
import { beat, HEARTBEAT_INTERVAL_MS } from "@/lib/services/system/heartbeat";
import { syncTemplates } from "@/lib/services/templates/sync-templates";
import { createGraphClient } from "@/lib/whatsapp/graph-client";
import { startWebhookProcessor } from "./webhook-processor";

/**
 * The worker process: applies stored webhook events in batches, and runs durable jobs (sends, media
 * downloads) from graphile-worker. Both are woken by LISTEN/NOTIFY, so live traffic is handled
 * within milliseconds; several workers may run against one database.
 */
const env = workerEnv();
const { db, sql } = createDb(env.DATABASE_URL, { max: env.WORKER_CONCURRENCY + env.WEBHOOK_PROCESSOR_LOOPS + 2 });
const graph = createGraphClient({ baseUrl: env.META_GRAPH_URL, version: env.META_GRAPH_VERSION });
const storage = createDiskStorage(env.TANDEM_MEDIA_DIR);
const system = { kind: "system", name: "worker" } as const;

const tasks: TaskList = {
  "send-message": async (payload) => {
    const { messageId } = payload as JobPayloads["send-message"];
    await deliverMessage({ ctx: { db, actor: system, secret: env.AUTH_SECRET }, input: { messageId, graph } });
  },
  "sync-templates": async (payload) => {
    const { numberId } = payload as JobPayloads["sync-templates"];
    await syncTemplates({ ctx: { db, actor: system, secret: env.AUTH_SECRET }, input: { numberId, graph } });
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
  console.log(JSON.stringify({ level, scope: scope.label, message, ...(meta?.error ? { error: String(meta.error) } : {}) }));
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
  batchSize: 50,
  log: (line) => console.log(JSON.stringify(line)),
});

await beat(db, "worker");
const heartbeat = setInterval(() => beat(db, "worker").catch((e) => console.error("heartbeat failed", e)), HEARTBEAT_INTERVAL_MS);
console.log(JSON.stringify({ level: "info", message: "worker ready", concurrency: env.WORKER_CONCURRENCY }));

async function shutdown() {
  // Ctrl-C reaches the worker twice: from the terminal and from the launcher.
  if (stopping) return;
  stopping = true;
  clearInterval(heartbeat);
  await webhooks.stop();
  await runner.stop();
  await sql.end({ timeout: 5 });
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
