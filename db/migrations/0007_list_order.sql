DROP INDEX "conversations_number_last_message_idx";--> statement-breakpoint
DROP INDEX "messages_conversation_sent_at_idx";--> statement-breakpoint
CREATE INDEX "conversations_number_status_last_message_idx" ON "conversations" USING btree ("number_id","status","last_message_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "conversations_number_last_message_idx" ON "conversations" USING btree ("number_id","last_message_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "messages_conversation_sent_at_idx" ON "messages" USING btree ("conversation_id","sent_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);