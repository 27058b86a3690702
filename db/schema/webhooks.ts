import { bigserial, customType, index, integer, jsonb, pgEnum, pgTable, text, timestamp } from "drizzle-orm/pg-core";

const bytea = customType<{ data: Buffer }>({ dataType: () => "bytea" });

/**
 * A part of a body that could not be applied: `path` names it in the body (entry[0].changes[1]...),
 * `code` says why (invalid, number_not_connected, apply_failed), `message` is short and sanitised.
 */
export type FailedItem = { path: string; code: "invalid" | "number_not_connected" | "apply_failed"; message: string };

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
    // A transient failure leaves the event pending until this time (backoff); null means now.
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    // Short and sanitised (no SQL, no message text): the raw body is the record of what came in.
    error: text("error"),
    // The parts that failed; a replay applies only these, since the rest is already applied.
    failedItems: jsonb("failed_items").$type<FailedItem[]>(),
    // An admin set the failed event aside: it leaves the failed list and stays stored.
    dismissedAt: timestamp("dismissed_at", { withTimezone: true }),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [index("webhook_events_status_idx").on(t.status, t.id)],
);
