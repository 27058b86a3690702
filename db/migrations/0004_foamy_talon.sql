ALTER TYPE "public"."message_status" ADD VALUE 'unconfirmed' BEFORE 'sent';--> statement-breakpoint
CREATE TABLE "send_pacing" (
	"key" text PRIMARY KEY NOT NULL,
	"next_slot_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "window_closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "send_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "numbers" ADD COLUMN "token_invalid_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "numbers" ADD COLUMN "send_rate_per_second" integer DEFAULT 20 NOT NULL;