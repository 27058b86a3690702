import { bigserial, customType, index, integer, pgEnum, pgTable, text, timestamp } from "drizzle-orm/pg-core";

const bytea = customType<{ data: Buffer }>({ dataType: () => "bytea" });

export const webhookEventStatus = pgEnum("webhook_event_status", ["pending", "processed", "failed"]);

export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    // The exact bytes Meta signed; a redelivered identical body is stored once.
    bodySha256: text("body_sha256").notNull().unique(),
    body: bytea("body").notNull(),
    // Phone number ids and WABA ids the body mentions: events for a number that is not connected
    // yet are replayed when it connects.
    routingKeys: text("routing_keys").array().notNull().default([]),
    status: webhookEventStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    error: text("error"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [index("webhook_events_status_idx").on(t.status, t.id)],
);
