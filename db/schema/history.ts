import { integer, jsonb, pgEnum, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { numbers } from "./numbers";

export const historySyncState = pgEnum("history_sync_state", ["requested", "receiving", "complete", "declined", "failed"]);

/** Progress of a number's one-shot history sync, as the onboarding panel shows it. */
export const historySyncs = pgTable("history_syncs", {
  numberId: uuid("number_id")
    .primaryKey()
    .references(() => numbers.id, { onDelete: "cascade" }),
  state: historySyncState("state").notNull().default("receiving"),
  // Chunks arrive out of order: the highest progress seen is the truth (100 = complete).
  maxProgress: real("max_progress").notNull().default(0),
  phasesSeen: integer("phases_seen").array().notNull().default([]),
  chunksReceived: integer("chunks_received").notNull().default(0),
  messagesImported: integer("messages_imported").notNull().default(0),
  conversationsImported: integer("conversations_imported").notNull().default(0),
  error: jsonb("error").$type<{ code: number; title?: string; message?: string; details?: string }>(),
  lastEventAt: timestamp("last_event_at", { withTimezone: true }),
  completedAt: timestamp("completed_at", { withTimezone: true }),
});

/**
 * Chunks already imported: a redelivered chunk (same content) is skipped whole, while a later sync
 * after re-onboarding, which reuses phases and chunk orders, is imported.
 */
export const historyChunks = pgTable(
  "history_chunks",
  {
    numberId: uuid("number_id")
      .notNull()
      .references(() => numbers.id, { onDelete: "cascade" }),
    contentSha256: text("content_sha256").notNull(),
    phase: integer("phase").notNull(),
    chunkOrder: integer("chunk_order").notNull(),
    progress: real("progress").notNull(),
    messageCount: integer("message_count").notNull(),
    sourceEventId: text("source_event_id"),
    importedAt: timestamp("imported_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.numberId, t.contentSha256] })],
);

export const syncKind = pgEnum("sync_kind", ["contacts", "history"]);
/** accepted: Meta answered a request_id; failed: Meta answered an error; uncertain: no answer (never retried). */
export const syncRequestState = pgEnum("sync_request_state", ["requested", "accepted", "failed", "uncertain"]);

/**
 * The one-shot `smb_app_data` requests of an onboarding. The row is committed as "requested" before
 * Meta is called, so a second completion finds it and never calls again.
 */
export const syncRequests = pgTable(
  "sync_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    numberId: uuid("number_id")
      .notNull()
      .references(() => numbers.id, { onDelete: "cascade" }),
    kind: syncKind("kind").notNull(),
    onboardedAt: timestamp("onboarded_at", { withTimezone: true }).notNull(),
    state: syncRequestState("state").notNull().default("requested"),
    requestId: text("request_id"),
    errorCode: integer("error_code"),
    errorMessage: text("error_message"),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
  },
  // Meta accepts each sync type once per onboarding (2593107): at most one request per onboarding.
  (t) => [uniqueIndex("sync_requests_once_key").on(t.numberId, t.kind, t.onboardedAt)],
);
