import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { contacts, conversations, messages } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { ContactRef } from "@/lib/whatsapp/webhook-payload";

type Contact = typeof contacts.$inferSelect;

async function findBy(
  db: Executor,
  numberId: string,
  column: typeof contacts.waId | typeof contacts.userId,
  value: string | null,
) {
  if (!value) return undefined;
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.numberId, numberId), eq(column, value)));
  return row;
}

/**
 * Finds or creates the contact for a WhatsApp id and/or business-scoped user id (phone fields may
 * be empty), and its conversation. When one message reveals that a WhatsApp-id contact and a
 * BSUID-only contact are the same person, the two are merged. Concurrent deliveries converge on
 * one row through the unique indexes (insert ... on conflict do nothing, then read back).
 */
export async function resolveContact(db: Executor, input: { numberId: string; ref: ContactRef }) {
  const contact = await resolveContactOnly(db, input);
  // Insert-or-read in one round trip: the hot path of every live message.
  const rows = await db.execute(sql`
    with inserted as (
      insert into ${conversations} (number_id, contact_id) values (${input.numberId}, ${contact.id})
      on conflict (number_id, contact_id) do nothing returning id
    )
    select id from inserted union all select id from ${conversations} where number_id = ${input.numberId} and contact_id = ${contact.id}
    limit 1`);
  let id = (rows as unknown as { id: string }[])[0]?.id;
  if (!id) {
    // A concurrent transaction inserted it after this statement's snapshot was taken: the conflict
    // waited for its commit, but the read above cannot see it. A new statement can.
    const [row] = await db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.numberId, input.numberId), eq(conversations.contactId, contact.id)));
    id = row?.id;
  }
  if (!id) throw new Error("conversation vanished after insert");
  return { contact, conversation: { id, contactId: contact.id } };
}

/** The contact alone, without a conversation (address-book entries). */
export async function resolveContactOnly(db: Executor, input: { numberId: string; ref: ContactRef }) {
  const { numberId, ref } = input;
  if (!ref.waId && !ref.userId) throw new AppError("VALIDATION", "the message names no WhatsApp id or user id");

  let byWa = await findBy(db, numberId, contacts.waId, ref.waId);
  const byUser = await findBy(db, numberId, contacts.userId, ref.userId);
  if (byWa && byUser && byWa.id !== byUser.id) byWa = await mergeContacts(db, { keep: byWa, drop: byUser });

  let contact: Contact | undefined = byWa ?? byUser;
  if (!contact) {
    await db
      .insert(contacts)
      .values({ numberId, waId: ref.waId, userId: ref.userId, profileName: ref.profileName })
      .onConflictDoNothing();
    contact = (await findBy(db, numberId, contacts.waId, ref.waId)) ?? (await findBy(db, numberId, contacts.userId, ref.userId));
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
  return contact;
}

/** Folds `drop` (and its conversation and messages) into `keep`; returns the updated `keep`. */
async function mergeContacts(db: Executor, input: { keep: Contact; drop: Contact }) {
  const { keep, drop } = input;
  const [keepConversation] = await db.select().from(conversations).where(eq(conversations.contactId, keep.id));
  const [dropConversation] = await db.select().from(conversations).where(eq(conversations.contactId, drop.id));
  if (dropConversation && keepConversation) {
    await db
      .update(messages)
      .set({ conversationId: keepConversation.id, contactId: keep.id })
      .where(eq(messages.conversationId, dropConversation.id));
    const newer = (dropConversation.lastMessageAt?.getTime() ?? 0) > (keepConversation.lastMessageAt?.getTime() ?? 0);
    await db
      .update(conversations)
      .set({
        unreadCount: keepConversation.unreadCount + dropConversation.unreadCount,
        lastMessageAt: newer ? dropConversation.lastMessageAt : keepConversation.lastMessageAt,
        lastMessagePreview: newer ? dropConversation.lastMessagePreview : keepConversation.lastMessagePreview,
        lastMessageDirection: newer ? dropConversation.lastMessageDirection : keepConversation.lastMessageDirection,
        lastCustomerMessageAt: sql`greatest(${conversations.lastCustomerMessageAt}, ${dropConversation.lastCustomerMessageAt?.toISOString() ?? null}::timestamptz)`,
        assigneeId: keepConversation.assigneeId ?? dropConversation.assigneeId,
      })
      .where(eq(conversations.id, keepConversation.id));
    await db.delete(conversations).where(eq(conversations.id, dropConversation.id));
  } else if (dropConversation) {
    await db.update(conversations).set({ contactId: keep.id }).where(eq(conversations.id, dropConversation.id));
    await db.update(messages).set({ contactId: keep.id }).where(eq(messages.contactId, drop.id));
  }
  await db.delete(contacts).where(eq(contacts.id, drop.id));
  const [merged] = await db
    .update(contacts)
    .set({
      userId: keep.userId ?? drop.userId,
      profileName: keep.profileName ?? drop.profileName,
      addressBookName: keep.addressBookName ?? drop.addressBookName,
      addressBookFirstName: keep.addressBookFirstName ?? drop.addressBookFirstName,
      addressBookUpdatedAt: keep.addressBookUpdatedAt ?? drop.addressBookUpdatedAt,
      customName: keep.customName ?? drop.customName,
      updatedAt: sql`now()`,
    })
    .where(eq(contacts.id, keep.id))
    .returning();
  return merged!;
}
