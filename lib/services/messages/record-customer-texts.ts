import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { contacts, conversations, messageChanges, messages, type numbers } from "@/db/schema";
import type { DbNotice } from "@/lib/realtime/events";
import { notifyChanges } from "@/lib/realtime/notify";
import { type ContactRef, previewOf, type WaMessage } from "@/lib/whatsapp/webhook-payload";
import { isNewestAt, reopenedStatus } from "../conversations/touch-conversation";
import { lockMessageKeys } from "./lock-message-keys";
import { bodyOf, contentOf } from "./message-content";
import { messageUpsert } from "./store-message";

export type CustomerText = { contact: ContactRef & { waId: string }; message: WaMessage };

/**
 * The common case of live traffic, a batch at a time: plain texts from customers identified by a
 * WhatsApp id alone, sent after onboarding. Same effects as `recordCustomerMessage` item by item
 * (contact, conversation, message once per wamid, unread, window, reopening, preview,
 * notifications), in a few statements for the whole batch. A text whose wamid is already stored
 * or has changes waiting for it is left out before anything is written (`skipped`), for the
 * item-by-item path.
 */
export async function recordCustomerTexts(
  db: Executor,
  input: { number: typeof numbers.$inferSelect; texts: CustomerText[] },
): Promise<{ skipped: Set<string> }> {
  const numberId = input.number.id;
  const wamids = [...new Set(input.texts.map((t) => t.message.id))];
  await lockMessageKeys(db, numberId, wamids);
  const known = await db.execute<{ wamid: string }>(sql`
    select wamid from ${messages} where number_id = ${numberId} and wamid = any(${sql.param(wamids)}::text[])
    union select target_wamid from ${messageChanges} where number_id = ${numberId} and target_wamid = any(${sql.param(wamids)}::text[])`);
  const skipped = new Set(known.map((r) => r.wamid));
  // One row per wamid (a redelivery inside the batch is a duplicate), in arrival order.
  const seen = new Set(skipped);
  const texts = input.texts.filter((t) => !seen.has(t.message.id) && seen.add(t.message.id));
  if (texts.length === 0) return { skipped };

  // Contacts: the newest profile name of each (a duplicate text renames too), rows taken in a fixed
  // order so batches never deadlock.
  const profiles = new Map<string, string | null>();
  for (const t of input.texts) profiles.set(t.contact.waId, t.contact.profileName ?? profiles.get(t.contact.waId) ?? null);
  const contactRows = [...profiles]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([waId, profileName]) => ({ numberId, waId, profileName }));
  await db
    .insert(contacts)
    .values(contactRows)
    .onConflictDoUpdate({
      target: [contacts.numberId, contacts.waId],
      targetWhere: sql`${contacts.waId} is not null`,
      set: { profileName: sql`excluded.profile_name`, updatedAt: sql`now()` },
      setWhere: sql`excluded.profile_name is not null and excluded.profile_name is distinct from ${contacts.profileName}`,
    });
  const contactIds = new Map(
    (
      await db
        .select({ id: contacts.id, waId: contacts.waId })
        .from(contacts)
        .where(and(eq(contacts.numberId, numberId), inArray(contacts.waId, [...profiles.keys()])))
    ).map((c) => [c.waId!, c.id]),
  );
  const ids = [...new Set(contactIds.values())].sort();
  await db
    .insert(conversations)
    .values(ids.map((contactId) => ({ numberId, contactId })))
    .onConflictDoNothing();
  // Locked in id order; the state before this batch decides which alert each text raises.
  const before = new Map(
    (
      await db
        .select({
          id: conversations.id,
          contactId: conversations.contactId,
          assigneeId: conversations.assigneeId,
          lastMessageAt: conversations.lastMessageAt,
        })
        .from(conversations)
        .where(and(eq(conversations.numberId, numberId), inArray(conversations.contactId, ids)))
        .orderBy(conversations.id)
        .for("update")
    ).map((c) => [c.contactId, c]),
  );

  const rows = texts.map((t) => {
    const contactId = contactIds.get(t.contact.waId);
    const conversation = contactId ? before.get(contactId) : undefined;
    if (!contactId || !conversation) throw new Error("contact or conversation vanished after insert");
    return {
      numberId,
      conversationId: conversation.id,
      contactId,
      wamid: t.message.id,
      direction: "inbound" as const,
      origin: "customer" as const,
      type: t.message.type,
      body: bodyOf(t.message),
      content: contentOf(t.message),
      status: "received" as const,
      replyToWamid: t.message.context?.id ?? null,
      sentAt: t.message.timestamp,
    };
  });
  const stored = await db
    .insert(messages)
    .values(rows)
    .onConflictDoUpdate(messageUpsert)
    .returning({ id: messages.id, wamid: messages.wamid, conversationId: messages.conversationId });
  const storedIds = new Map(stored.map((s) => [s.wamid, s]));

  // Each conversation's texts in arrival order: the last of the newest gives the preview, as when
  // they are applied one after another.
  const touched = new Map<string, { at: Date; preview: string; count: number }>();
  const notices: DbNotice[] = [];
  for (const [i, t] of texts.entries()) {
    const message = storedIds.get(t.message.id);
    if (!message) continue;
    const conversationId = rows[i]!.conversationId;
    const previous = touched.get(conversationId);
    const state = before.get(rows[i]!.contactId)!;
    notices.push(
      { type: "message", numberId, conversationId: message.conversationId, messageId: message.id },
      {
        type: "activity",
        numberId,
        conversationId,
        kind: previous || state.lastMessageAt ? "customer_message" : "new_conversation",
        assigneeId: state.assigneeId,
        actorId: null,
      },
    );
    const at = t.message.timestamp;
    touched.set(conversationId, {
      at: previous && previous.at > at ? previous.at : at,
      preview: previous && previous.at > at ? previous.preview : previewOf(t.message),
      count: (previous?.count ?? 0) + 1,
    });
  }
  if (touched.size) {
    const updates = [...touched].map(([id, t]) => ({ id, at: t.at.toISOString(), preview: t.preview, count: t.count }));
    const isNewest = isNewestAt(sql`v.at`);
    await db.execute(sql`
      update ${conversations} set
        last_message_at = greatest(${conversations.lastMessageAt}, v.at),
        last_message_preview = case when ${isNewest} then v.preview else ${conversations.lastMessagePreview} end,
        last_message_direction = case when ${isNewest} then 'inbound' else ${conversations.lastMessageDirection} end,
        last_customer_message_at = greatest(${conversations.lastCustomerMessageAt}, v.at),
        status = ${reopenedStatus},
        snoozed_until = null,
        unread_count = ${conversations.unreadCount} + v.count
      from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v(id uuid, at timestamptz, preview text, count int)
      where ${conversations.id} = v.id`);
  }
  await notifyChanges(db, notices);
  return { skipped };
}
