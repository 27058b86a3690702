-- A message id that sorts in the order rows are stored: 48 bits of Unix milliseconds, then a
-- counter (RFC 9562 version 7 layout, the counter in place of the random bits). Threads order by
-- (sent_at, id) and WhatsApp stamps whole seconds, so three messages a customer sends within one
-- second were shown in the order of random ids. Existing ids stay as they are.
CREATE SEQUENCE "message_order" AS bigint CACHE 100;
--> statement-breakpoint
CREATE FUNCTION message_id() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || '7000'
    || to_hex(x'8000000000000000'::bigint | nextval('message_order')))::uuid
$$;
--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "id" SET DEFAULT message_id();
