CREATE TABLE "process_metrics" (
	"instance" text PRIMARY KEY NOT NULL,
	"service" text NOT NULL,
	"metrics" jsonb NOT NULL,
	"reported_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "messages_number_client_key_key";--> statement-breakpoint
CREATE UNIQUE INDEX "messages_number_client_key_key" ON "messages" USING btree ("number_id","client_key") WHERE "messages"."client_key" is not null;