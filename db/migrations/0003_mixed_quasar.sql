ALTER TABLE "webhook_events" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "failed_items" jsonb;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "dismissed_at" timestamp with time zone;