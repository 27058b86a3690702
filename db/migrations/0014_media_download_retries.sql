ALTER TYPE "public"."media_state" ADD VALUE 'retrying';--> statement-breakpoint
ALTER TABLE "media_assets" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "media_assets" ADD COLUMN "next_attempt_at" timestamp with time zone;