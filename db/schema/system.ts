import { jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Liveness of background processes, read by GET /api/health. */
export const serviceHeartbeats = pgTable("service_heartbeats", {
  service: text("service").primaryKey(),
  beatAt: timestamp("beat_at", { withTimezone: true }).notNull(),
});

/**
 * Each process's Prometheus registry as JSON, reported every few seconds, so `/api/metrics` on any
 * web process shows every process on every machine without scraping each one.
 */
export const processMetrics = pgTable("process_metrics", {
  instance: text("instance").primaryKey(),
  service: text("service").notNull(),
  metrics: jsonb("metrics").notNull(),
  reportedAt: timestamp("reported_at", { withTimezone: true }).notNull(),
});
