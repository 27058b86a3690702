import { bigint, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { messages } from "./messages";
import { numbers } from "./numbers";

// retrying: an attempt failed for a reason that may pass; the next one is at next_attempt_at.
export const mediaState = pgEnum("media_state", ["pending", "stored", "failed", "unavailable", "retrying"]);

/** A media file of a message, downloaded from Meta by the worker and kept in Tandem's storage. */
export const mediaAssets = pgTable(
  "media_assets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    numberId: uuid("number_id")
      .notNull()
      .references(() => numbers.id, { onDelete: "cascade" }),
    messageId: uuid("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    // Meta's media id: downloadable for 7 days after the webhook (created_at), so retries stop then.
    metaMediaId: text("meta_media_id").notNull(),
    mimeType: text("mime_type"),
    sha256: text("sha256"),
    fileName: text("file_name"),
    byteSize: bigint("byte_size", { mode: "number" }),
    storageKey: text("storage_key"),
    state: mediaState("state").notNull().default("pending"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    storedAt: timestamp("stored_at", { withTimezone: true }),
  },
  // One asset per message and Meta media id: redelivered webhooks download once.
  (t) => [uniqueIndex("media_assets_message_media_key").on(t.messageId, t.metaMediaId)],
);
