import { sql } from "drizzle-orm";
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { numbers } from "./numbers";

export const contacts = pgTable(
  "contacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    numberId: uuid("number_id")
      .notNull()
      .references(() => numbers.id, { onDelete: "cascade" }),
    // WhatsApp id (usually the phone number); null when Meta only gave a business-scoped id.
    waId: text("wa_id"),
    // Business-scoped user id (BSUID).
    userId: text("user_id"),
    // WhatsApp profile name, from the customer's own messages.
    profileName: text("profile_name"),
    // The business's phone address book (smb_app_state_sync); last writer wins by Meta's timestamp.
    addressBookName: text("address_book_name"),
    addressBookFirstName: text("address_book_first_name"),
    addressBookRemovedAt: timestamp("address_book_removed_at", { withTimezone: true }),
    addressBookUpdatedAt: timestamp("address_book_updated_at", { withTimezone: true }),
    // A name an agent typed; beats every other source.
    customName: text("custom_name"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One contact per WhatsApp id and per BSUID on a number: redeliveries and races upsert.
    uniqueIndex("contacts_number_wa_id_key").on(t.numberId, t.waId).where(sql`${t.waId} is not null`),
    uniqueIndex("contacts_number_user_id_key").on(t.numberId, t.userId).where(sql`${t.userId} is not null`),
    index("contacts_number_profile_name_idx").on(t.numberId, t.profileName),
    // Name search over every source an agent may see; must match contactSearchVector in db/queries/search.ts.
    index("contacts_name_search_idx").using(
      "gin",
      sql`to_tsvector('simple', coalesce(${t.customName}, '') || ' ' || coalesce(case when ${t.addressBookRemovedAt} is null then ${t.addressBookName} end, '') || ' ' || coalesce(${t.profileName}, ''))`,
    ),
    // Prefix match on numbers ("+49 151" finds 49151...).
    index("contacts_wa_id_prefix_idx").on(t.waId.op("text_pattern_ops")),
  ],
);
