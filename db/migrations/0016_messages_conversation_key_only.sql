ALTER TABLE "messages" DROP CONSTRAINT "messages_number_id_numbers_id_fk";
--> statement-breakpoint
ALTER TABLE "messages" DROP CONSTRAINT "messages_contact_id_contacts_id_fk";
