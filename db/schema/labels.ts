import { index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { conversations } from "./conversations";

/** The colours a label may take; the browser maps each to a chip style with enough contrast. */
export const labelColors = ["gray", "red", "amber", "green", "teal", "blue", "violet", "pink"] as const;

/** Labels are defined by admins for the whole workspace (every number), so one vocabulary serves the team. */
export const labels = pgTable("labels", {
  id: uuid("id").primaryKey().defaultRandom(),
  // Unique so two labels never look alike in a chip or a filter.
  name: text("name").notNull().unique(),
  color: text("color", { enum: labelColors }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const conversationLabels = pgTable(
  "conversation_labels",
  {
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    labelId: uuid("label_id")
      .notNull()
      .references(() => labels.id, { onDelete: "cascade" }),
    // The conversation's number and list order (its last_message_at), copied by triggers in the
    // same transaction as every change of the conversation or of its labels (migration 0019).
    numberId: uuid("number_id").notNull(),
    lastMessageAt: timestamp("last_message_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.labelId] }),
    // The list filtered by a label walks the label's conversations of the number in list order.
    index("conversation_labels_label_list_idx").on(
      t.labelId,
      t.numberId,
      t.lastMessageAt.desc().nullsFirst(),
      t.conversationId.desc().nullsFirst(),
    ),
  ],
);
