CREATE TYPE "public"."sync_kind" AS ENUM('contacts', 'history');--> statement-breakpoint
CREATE TYPE "public"."sync_request_state" AS ENUM('requested', 'accepted', 'failed', 'uncertain');--> statement-breakpoint
CREATE TABLE "sync_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number_id" uuid NOT NULL,
	"kind" "sync_kind" NOT NULL,
	"onboarded_at" timestamp with time zone NOT NULL,
	"state" "sync_request_state" DEFAULT 'requested' NOT NULL,
	"request_id" text,
	"error_code" integer,
	"error_message" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "onboarding_states" (
	"state_sha256" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sync_requests" ADD CONSTRAINT "sync_requests_number_id_numbers_id_fk" FOREIGN KEY ("number_id") REFERENCES "public"."numbers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onboarding_states" ADD CONSTRAINT "onboarding_states_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sync_requests_once_key" ON "sync_requests" USING btree ("number_id","kind","onboarded_at");