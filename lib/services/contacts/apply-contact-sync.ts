import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { contacts, conversations } from "@/db/schema";
import { notifyChange } from "@/lib/realtime/notify";
import type { WebhookEvent } from "@/lib/whatsapp/webhook-payload";
import { resolveContactOnly } from "./resolve-contact";

type ContactSync = Extract<WebhookEvent, { kind: "contact_sync" }>;

/**
 * The business's phone address book (`smb_app_state_sync`): `add` creates or renames, `remove`
 * marks the entry removed but keeps the contact and its conversations. Last writer wins by Meta's
 * timestamp, so an older add delivered late does not undo a newer remove.
 */
export async function applyContactSync(db: Executor, input: { numberId: string; event: ContactSync }) {
  const { event } = input;
  const contact = await resolveContactOnly(db, {
    numberId: input.numberId,
    ref: { waId: event.contact.waId, userId: event.contact.userId, profileName: null },
  });
  const at = event.occurredAt.toISOString();
  await db
    .update(contacts)
    .set(
      event.action === "add"
        ? {
            addressBookName: event.contact.fullName ?? event.contact.firstName,
            addressBookFirstName: event.contact.firstName,
            addressBookRemovedAt: null,
            addressBookUpdatedAt: event.occurredAt,
            updatedAt: sql`now()`,
          }
        : {
            // Meta omits the names on remove; clearing them keeps the outcome independent of delivery order.
            addressBookName: null,
            addressBookFirstName: null,
            addressBookRemovedAt: event.occurredAt,
            addressBookUpdatedAt: event.occurredAt,
            updatedAt: sql`now()`,
          },
    )
    .where(
      sql`${eq(contacts.id, contact.id)} and (${contacts.addressBookUpdatedAt} is null or ${contacts.addressBookUpdatedAt} <= ${at}::timestamptz)`,
    );
  // The name shown in lists may have changed.
  const [conversation] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.contactId, contact.id));
  if (conversation) await notifyChange(db, { type: "conversation", numberId: input.numberId, conversationId: conversation.id });
  return contact;
}
