import { sql } from "drizzle-orm";
import { boolean, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { contacts } from "./contacts";
import { numbers } from "./numbers";
import { users } from "./users";

// Snoozed: out of the queues until `snoozed_until` or the customer's next message, whichever comes first.
export const conversationStatus = pgEnum("conversation_status", ["open", "pending", "snoozed", "resolved"]);

export const conversations = pgTable(
  "conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    numberId: uuid("number_id")
      .notNull()
      .references(() => numbers.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    status: conversationStatus("status").notNull().default("open"),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    // Set exactly while the status is snoozed; a worker job scheduled for this time wakes it.
    snoozedUntil: timestamp("snoozed_until", { withTimezone: true }),
    unreadCount: integer("unread_count").notNull().default(0),
    // Timestamp of the newest message of any origin; orders the list.
    lastMessageAt: timestamp("last_message_at", { withTimezone: true }),
    lastMessagePreview: text("last_message_preview"),
    lastMessageDirection: text("last_message_direction"),
    // Newest live customer message after onboarding: the 24-hour window is computed from it.
    lastCustomerMessageAt: timestamp("last_customer_message_at", { withTimezone: true }),
    // When Meta answered 131047 (window closed) although Tandem thought it open: closes the window early.
    windowClosedAt: timestamp("window_closed_at", { withTimezone: true }),
    // Set when imported history first reaches the conversation (counts imported conversations).
    hasHistory: boolean("has_history").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One thread per contact and number; an echo for a resolved conversation reopens nothing new.
    uniqueIndex("conversations_number_contact_key").on(t.numberId, t.contactId),
    // The list's keyset order (last_message_at desc, id desc): the first page is an index walk.
    index("conversations_number_last_message_idx").on(t.numberId, t.lastMessageAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("conversations_number_status_last_message_idx").on(
      t.numberId,
      t.status,
      t.lastMessageAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    // "Mine": an agent holds a small share of a number's conversations, too few to find by walking the list.
    index("conversations_number_assignee_status_last_message_idx").on(
      t.numberId,
      t.assigneeId,
      t.status,
      t.lastMessageAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    // The unread counts per view (polled by every open inbox): only the unread conversations.
    index("conversations_number_unread_idx").on(t.numberId, t.assigneeId).where(sql`${t.unreadCount} > 0`),
  ],
);
