import { hostname } from "node:os";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

function createMetrics() {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    intake: new Counter({
      name: "tandem_webhook_intake_total",
      help: "Webhook POSTs answered by the intake, by outcome (stored, duplicate, rejected, unavailable).",
      labelNames: ["outcome"] as const,
      registers,
    }),
    ackSeconds: new Histogram({
      name: "tandem_webhook_ack_seconds",
      help: "Time from the start of a webhook POST's handler to its answer.",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    processed: new Counter({
      name: "tandem_webhook_events_processed_total",
      help: "Stored webhook events applied by the worker.",
      registers,
    }),
    processingFailures: new Counter({
      name: "tandem_webhook_events_failed_total",
      help: "Stored webhook events whose processing failed (recorded on the event, replayable).",
      registers,
    }),
    sends: new Counter({
      name: "tandem_messages_sent_total",
      help: "Outbound messages handed to WhatsApp, per business number and outcome.",
      labelNames: ["number", "outcome"] as const,
      registers,
    }),
    sockets: new Gauge({
      name: "tandem_realtime_sockets",
      help: "Browser sockets connected to this realtime sidecar.",
      registers,
    }),
  };
}

type Metrics = ReturnType<typeof createMetrics> & { instance: string };
const holder = globalThis as unknown as { tandemMetrics?: Metrics };

/**
 * This process's metrics. Kept on globalThis so every bundle of the web process (route handlers,
 * instrumentation) counts into one registry. Each process reports its registry to PostgreSQL (see
 * report-metrics), so `/api/metrics` on any web process shows every process of every machine.
 */
export function processMetrics(service?: "web" | "worker" | "realtime"): Metrics {
  if (!holder.tandemMetrics) {
    const metrics = { ...createMetrics(), instance: `${service ?? "web"}@${hostname()}:${process.pid}` };
    metrics.registry.setDefaultLabels({ service: service ?? "web", instance: metrics.instance });
    collectDefaultMetrics({ register: metrics.registry, prefix: "tandem_" });
    holder.tandemMetrics = metrics;
  }
  return holder.tandemMetrics;
}
