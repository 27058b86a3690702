import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Send pacing shared by every worker process: one row per bucket (a number, or a number and a
 * recipient) holding its theoretical arrival time (GCRA). A single atomic UPDATE reserves a slot.
 */
export const sendPacing = pgTable("send_pacing", {
  key: text("key").primaryKey(),
  nextSlotAt: timestamp("next_slot_at", { withTimezone: true }).notNull(),
});
