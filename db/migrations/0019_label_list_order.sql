-- The list filtered by a label walked the whole list in order and probed the label on each row
-- (about 3,000 rows for a label on 2% of the conversations). Each label row now carries its
-- conversation's number and list order, and the label's index walks them in list order. Triggers
-- copy both in the same transaction as every change, whichever writer makes it.
ALTER TABLE "conversation_labels" ADD COLUMN "number_id" uuid;
--> statement-breakpoint
ALTER TABLE "conversation_labels" ADD COLUMN "last_message_at" timestamp with time zone;
--> statement-breakpoint
UPDATE "conversation_labels" cl SET "number_id" = c."number_id", "last_message_at" = c."last_message_at"
  FROM "conversations" c WHERE c."id" = cl."conversation_id";
--> statement-breakpoint
ALTER TABLE "conversation_labels" ALTER COLUMN "number_id" SET NOT NULL;
--> statement-breakpoint
DROP INDEX "conversation_labels_label_idx";
--> statement-breakpoint
CREATE INDEX "conversation_labels_label_list_idx" ON "conversation_labels" USING btree ("label_id","number_id","last_message_at" DESC NULLS FIRST,"conversation_id" DESC NULLS FIRST);
--> statement-breakpoint
-- A new label row takes its conversation's values. FOR SHARE waits for a transaction that is
-- changing the conversation (a message arriving) and reads what it committed; while the label's
-- transaction runs, such a change waits for it and its trigger below then sees the new row.
CREATE FUNCTION conversation_labels_copy_list_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT c.number_id, c.last_message_at INTO NEW.number_id, NEW.last_message_at
    FROM conversations c WHERE c.id = NEW.conversation_id FOR SHARE;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER conversation_labels_copy_list_order BEFORE INSERT OR UPDATE OF conversation_id ON conversation_labels
  FOR EACH ROW EXECUTE FUNCTION conversation_labels_copy_list_order();
--> statement-breakpoint
-- A conversation whose list order moves (a message, an import, a merge) moves its label rows.
CREATE FUNCTION conversations_move_label_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE conversation_labels SET number_id = NEW.number_id, last_message_at = NEW.last_message_at
    WHERE conversation_id = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER conversations_move_label_rows AFTER UPDATE OF last_message_at, number_id ON conversations
  FOR EACH ROW WHEN (OLD.last_message_at IS DISTINCT FROM NEW.last_message_at OR OLD.number_id <> NEW.number_id)
  EXECUTE FUNCTION conversations_move_label_rows();
