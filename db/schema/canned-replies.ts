import { pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { numbers } from "./numbers";
import { users } from "./users";

/** Saved answers of a number's team, typed as `/shortcut` in the composer; admins manage them. */
export const cannedReplies = pgTable(
  "canned_replies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    numberId: uuid("number_id")
      .notNull()
      .references(() => numbers.id, { onDelete: "cascade" }),
    // Stored lower-cased, without the slash.
    shortcut: text("shortcut").notNull(),
    body: text("body").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // One answer per shortcut and number, so `/shortcut` is never ambiguous.
  (t) => [uniqueIndex("canned_replies_number_shortcut_key").on(t.numberId, t.shortcut)],
);
