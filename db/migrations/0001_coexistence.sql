CREATE TYPE "public"."history_sync_state" AS ENUM('requested', 'receiving', 'complete', 'declined', 'failed');--> statement-breakpoint
CREATE TYPE "public"."media_state" AS ENUM('pending', 'stored', 'failed', 'unavailable');--> statement-breakpoint
CREATE TABLE "history_chunks" (
	"number_id" uuid NOT NULL,
	"content_sha256" text NOT NULL,
	"phase" integer NOT NULL,
	"chunk_order" integer NOT NULL,
	"progress" real NOT NULL,
	"message_count" integer NOT NULL,
	"source_event_id" text,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "history_chunks_number_id_content_sha256_pk" PRIMARY KEY("number_id","content_sha256")
);
--> statement-breakpoint
CREATE TABLE "history_syncs" (
	"number_id" uuid PRIMARY KEY NOT NULL,
	"state" "history_sync_state" DEFAULT 'receiving' NOT NULL,
	"max_progress" real DEFAULT 0 NOT NULL,
	"phases_seen" integer[] DEFAULT '{}' NOT NULL,
	"chunks_received" integer DEFAULT 0 NOT NULL,
	"messages_imported" integer DEFAULT 0 NOT NULL,
	"conversations_imported" integer DEFAULT 0 NOT NULL,
	"error" jsonb,
	"last_event_at" timestamp with time zone,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "media_assets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"meta_media_id" text NOT NULL,
	"mime_type" text,
	"sha256" text,
	"file_name" text,
	"byte_size" bigint,
	"storage_key" text,
	"state" "media_state" DEFAULT 'pending' NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stored_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "message_changes" (
	"number_id" uuid NOT NULL,
	"change_id" text NOT NULL,
	"kind" text NOT NULL,
	"target_wamid" text NOT NULL,
	"actor" text NOT NULL,
	"content" jsonb,
	"occurred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "message_changes_number_id_kind_change_id_pk" PRIMARY KEY("number_id","kind","change_id")
);
--> statement-breakpoint
CREATE TABLE "message_reactions" (
	"number_id" uuid NOT NULL,
	"target_wamid" text NOT NULL,
	"reactor" text NOT NULL,
	"emoji" text NOT NULL,
	"reacted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "message_reactions_number_id_target_wamid_reactor_pk" PRIMARY KEY("number_id","target_wamid","reactor")
);
--> statement-breakpoint
CREATE TABLE "number_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"waba_id" text NOT NULL,
	"event" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"phone_number" text,
	"disconnection_reason" text,
	"disconnection_initiated_by" text,
	"details" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "address_book_name" text;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "address_book_first_name" text;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "address_book_removed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "address_book_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "custom_name" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "has_history" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "edited_body" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "edit_history" jsonb;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "history_status" text;--> statement-breakpoint
ALTER TABLE "numbers" ADD COLUMN "state_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "numbers" ADD COLUMN "disconnection_reason" text;--> statement-breakpoint
ALTER TABLE "numbers" ADD COLUMN "disconnection_initiated_by" text;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "routing_keys" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "history_chunks" ADD CONSTRAINT "history_chunks_number_id_numbers_id_fk" FOREIGN KEY ("number_id") REFERENCES "public"."numbers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "history_syncs" ADD CONSTRAINT "history_syncs_number_id_numbers_id_fk" FOREIGN KEY ("number_id") REFERENCES "public"."numbers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_assets" ADD CONSTRAINT "media_assets_number_id_numbers_id_fk" FOREIGN KEY ("number_id") REFERENCES "public"."numbers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_assets" ADD CONSTRAINT "media_assets_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_changes" ADD CONSTRAINT "message_changes_number_id_numbers_id_fk" FOREIGN KEY ("number_id") REFERENCES "public"."numbers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_reactions" ADD CONSTRAINT "message_reactions_number_id_numbers_id_fk" FOREIGN KEY ("number_id") REFERENCES "public"."numbers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "media_assets_message_media_key" ON "media_assets" USING btree ("message_id","meta_media_id");--> statement-breakpoint
CREATE INDEX "message_changes_target_idx" ON "message_changes" USING btree ("number_id","target_wamid");--> statement-breakpoint
CREATE UNIQUE INDEX "number_events_key" ON "number_events" USING btree ("waba_id","event","occurred_at");--> statement-breakpoint
CREATE INDEX "number_events_waba_idx" ON "number_events" USING btree ("waba_id","occurred_at");