import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { contacts, conversations } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { ContactRef } from "@/lib/whatsapp/webhook-payload";

/**
 * Finds or creates the contact for a WhatsApp id and/or business-scoped user id, and its
 * conversation. Concurrent deliveries for the same person converge on one row through the unique
 * indexes (insert ... on conflict do nothing, then read back).
 */
export async function resolveContact(db: Executor, input: { numberId: string; ref: ContactRef }) {
  const { numberId, ref } = input;
  if (!ref.waId && !ref.userId) throw new AppError("VALIDATION", "the message names no WhatsApp id or user id");

  const find = async () => {
    const byWa = ref.waId
      ? (
          await db
            .select()
            .from(contacts)
            .where(and(eq(contacts.numberId, numberId), eq(contacts.waId, ref.waId)))
        )[0]
      : undefined;
    if (byWa) return byWa;
    return ref.userId
      ? (
          await db
            .select()
            .from(contacts)
            .where(and(eq(contacts.numberId, numberId), eq(contacts.userId, ref.userId)))
        )[0]
      : undefined;
  };

  let contact = await find();
  if (!contact) {
    await db
      .insert(contacts)
      .values({ numberId, waId: ref.waId, userId: ref.userId, profileName: ref.profileName })
      .onConflictDoNothing();
    contact = await find();
    if (!contact) throw new Error("contact vanished after insert");
  } else if (
    (ref.profileName && ref.profileName !== contact.profileName) ||
    (ref.userId && !contact.userId) ||
    (ref.waId && !contact.waId)
  ) {
    [contact] = await db
      .update(contacts)
      .set({
        profileName: ref.profileName ?? contact.profileName,
        userId: contact.userId ?? ref.userId,
        waId: contact.waId ?? ref.waId,
        updatedAt: sql`now()`,
      })
      .where(eq(contacts.id, contact.id))
      .returning();
    if (!contact) throw new Error("contact vanished during update");
  }

  await db.insert(conversations).values({ numberId, contactId: contact.id }).onConflictDoNothing();
  const [conversation] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.numberId, numberId), eq(conversations.contactId, contact.id)));
  if (!conversation) throw new Error("conversation vanished after insert");
  return { contact, conversation };
}
