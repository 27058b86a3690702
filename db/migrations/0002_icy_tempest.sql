CREATE TABLE "process_metrics" (
	"instance" text PRIMARY KEY NOT NULL,
	"service" text NOT NULL,
	"metrics" jsonb NOT NULL,
	"reported_at" timestamp with time zone NOT NULL
);
