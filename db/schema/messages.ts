import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { conversations } from "./conversations";
import { numbers } from "./numbers";
import { users } from "./users";

export const messageDirection = pgEnum("message_direction", ["inbound", "outbound"]);
// "note": a private note of the team, never sent to WhatsApp (no wamid, no send job).
export const messageOrigin = pgEnum("message_origin", ["customer", "agent", "phone", "history", "template", "campaign", "note"]);
// "unconfirmed": an attempt whose outcome is unknown (timeout after the request left); a status
// webhook carrying the message's biz_opaque_callback_data confirms it.
export const messageStatus = pgEnum("message_status", [
  "received",
  "queued",
  "unconfirmed",
  "sent",
  "delivered",
  "read",
  "played",
  "failed",
]);

export type MessageError = { code: number; title?: string; message?: string; details?: string };

export const messages = pgTable(
  "messages",
  {
    // Time-ordered (migration 0018): WhatsApp stamps whole seconds, and a thread orders by
    // (sent_at, id), so messages of one second keep the order they were stored in.
    id: uuid("id").primaryKey().default(sql`message_id()`),
    // Only the conversation is a foreign key: it belongs to the number and the contact (both
    // cascading), so checking those two again on every message would only slow bulk imports.
    numberId: uuid("number_id").notNull(),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").notNull(),
    // WhatsApp message id; null while an agent's message waits in the outbound queue.
    wamid: text("wamid"),
    direction: messageDirection("direction").notNull(),
    origin: messageOrigin("origin").notNull(),
    type: text("type").notNull(),
    body: text("body"),
    // The type-specific object as WhatsApp sent it (image, location, ...).
    content: jsonb("content"),
    status: messageStatus("status").notNull(),
    error: jsonb("error").$type<MessageError>(),
    authorUserId: uuid("author_user_id").references(() => users.id, { onDelete: "set null" }),
    // Idempotency key chosen by the browser, so a retried click never sends twice.
    clientKey: text("client_key"),
    replyToWamid: text("reply_to_wamid"),
    // Attempts to hand the message to Meta; bounds retries after rate limits.
    sendAttempts: integer("send_attempts").notNull().default(0),
    // Applied edits and revokes (see messageChanges); `body` keeps the original text.
    editedBody: text("edited_body"),
    editedAt: timestamp("edited_at", { withTimezone: true }),
    editHistory: jsonb("edit_history").$type<{ body: string | null; at: string }[]>(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    // history_context.status of an imported message (READ, DELIVERED, ...).
    historyStatus: text("history_status"),
    // When WhatsApp says the message was sent or received; orders the thread.
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Meta delivers at least once: a wamid is stored once per number.
    uniqueIndex("messages_number_wamid_key").on(t.numberId, t.wamid),
    // Only agents' messages carry a client key; leaving the others out spares every imported or
    // received message an index entry.
    uniqueIndex("messages_number_client_key_key").on(t.numberId, t.clientKey).where(sql`${t.clientKey} is not null`),
    // The thread's keyset order (sent_at desc, id desc).
    index("messages_conversation_sent_at_idx").on(t.conversationId, t.sentAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // Full-text search over the text agents read; deleted text is left out of the index itself.
    // The expression must match messageSearchVector in db/queries/search.ts.
    index("messages_text_search_idx")
      .using("gin", sql`to_tsvector('simple', coalesce(${t.editedBody}, ${t.body}, ''))`)
      .where(sql`${t.deletedAt} is null`),
  ],
);

/** Every status webhook, kept so a status that arrives before its message applies later. */
export const messageStatusEvents = pgTable(
  "message_status_events",
  {
    numberId: uuid("number_id")
      .notNull()
      .references(() => numbers.id, { onDelete: "cascade" }),
    wamid: text("wamid").notNull(),
    status: messageStatus("status").notNull(),
    error: jsonb("error").$type<MessageError>(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
  },
  // A redelivered status changes nothing.
  (t) => [uniqueIndex("message_status_events_key").on(t.numberId, t.wamid, t.status)],
);

/**
 * Edits, revokes and history media follow-ups, kept as an audit trail and applied to the original
 * message whenever both exist, so one that arrives first waits for its original.
 */
export const messageChanges = pgTable(
  "message_changes",
  {
    numberId: uuid("number_id")
      .notNull()
      .references(() => numbers.id, { onDelete: "cascade" }),
    // The event's own id (edit/revoke wamid), or the original's id for a media follow-up.
    changeId: text("change_id").notNull(),
    kind: text("kind").$type<"edit" | "revoke" | "media">().notNull(),
    targetWamid: text("target_wamid").notNull(),
    actor: text("actor").$type<"customer" | "phone">().notNull(),
    content: jsonb("content").$type<{ type: string; body: string | null; content: unknown }>(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    // A redelivered edit, revoke or follow-up is stored once.
    primaryKey({ columns: [t.numberId, t.kind, t.changeId] }),
    index("message_changes_target_idx").on(t.numberId, t.targetWamid),
  ],
);

/** The latest reaction of each side to a message; an empty emoji means it was removed. */
export const messageReactions = pgTable(
  "message_reactions",
  {
    numberId: uuid("number_id")
      .notNull()
      .references(() => numbers.id, { onDelete: "cascade" }),
    targetWamid: text("target_wamid").notNull(),
    reactor: text("reactor").$type<"customer" | "business">().notNull(),
    emoji: text("emoji").notNull(),
    reactedAt: timestamp("reacted_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.numberId, t.targetWamid, t.reactor] })],
);

/** A teammate named in a note (`@Name`); unread until they open the conversation. */
export const mentions = pgTable(
  "mentions",
  {
    messageId: uuid("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    numberId: uuid("number_id")
      .notNull()
      .references(() => numbers.id, { onDelete: "cascade" }),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    readAt: timestamp("read_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A note names a teammate once, however often their name appears in it.
    primaryKey({ columns: [t.messageId, t.userId] }),
    index("mentions_user_unread_idx").on(t.userId, t.createdAt.desc()).where(sql`${t.readAt} is null`),
  ],
);
