import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** A WABA's message templates as Meta lists them; synced on connect, on demand and on status webhooks. */
export const templates = pgTable(
  "templates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    wabaId: text("waba_id").notNull(),
    metaId: text("meta_id").notNull(),
    name: text("name").notNull(),
    language: text("language").notNull(),
    category: text("category").notNull(),
    status: text("status").notNull(),
    // Meta's definition (components, parameter_format, ...) as listed; the picker and sends read it.
    definition: jsonb("definition").notNull(),
    rejectedReason: text("rejected_reason"),
    syncedAt: timestamp("synced_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Meta identifies a template by name and language within a WABA.
    uniqueIndex("templates_waba_name_language_key").on(t.wabaId, t.name, t.language),
    index("templates_meta_id_idx").on(t.metaId),
  ],
);
