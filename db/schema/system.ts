import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Liveness of background processes, read by GET /api/health. */
export const serviceHeartbeats = pgTable("service_heartbeats", {
  service: text("service").primaryKey(),
  beatAt: timestamp("beat_at", { withTimezone: true }).notNull(),
});
