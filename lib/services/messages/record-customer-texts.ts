import { sql } from "drizzle-orm";
import { type Executor, pipelined } from "@/db/client";
import { contacts, conversations, messageChanges, messages, type numbers } from "@/db/schema";
import type { DbNotice } from "@/lib/realtime/events";
import { notifyChanges } from "@/lib/realtime/notify";
import { previewOf } from "@/lib/whatsapp/message-types";
import type { ContactRef, WaMessage } from "@/lib/whatsapp/webhook-payload";
import { isNewestAt, reopenedStatus } from "../conversations/touch-conversation";
import { lockMessageKeys } from "./lock-message-keys";
import { bodyOf, contentOf } from "./message-content";

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
  // Statements that need no answer of the one before go out together (`pipelined`): the check
  // runs after the locks are taken, so it sees what a transaction that held them committed.
  const [, known] = await pipelined(
    lockMessageKeys(db, numberId, wamids),
    db.execute<{ wamid: string }>(sql`
        select wamid from ${messages} where number_id = ${numberId} and wamid = any(${sql.param(wamids)}::text[])
        union select target_wamid from ${messageChanges} where number_id = ${numberId} and target_wamid = any(${sql.param(wamids)}::text[])`),
  );
  const skipped = new Set(known!.map((r) => r.wamid));
  // One row per wamid (a redelivery inside the batch is a duplicate), in arrival order.
  const seen = new Set(skipped);
  const texts = input.texts.filter((t) => !seen.has(t.message.id) && seen.add(t.message.id));
  if (texts.length === 0) return { skipped };

  // Contacts: the newest profile name of each (a duplicate text renames too), rows taken in a fixed
  // order so batches never deadlock.
  const profiles = new Map<string, string | null>();
  for (const t of input.texts) profiles.set(t.contact.waId, t.contact.profileName ?? profiles.get(t.contact.waId) ?? null);
  const waIds = [...profiles.keys()].sort((a, b) => a.localeCompare(b));
  // Rows travel as one JSON or array parameter: building and binding a multi-row insert (a value
  // per column and row) cost the worker more CPU than PostgreSQL spent running it. The contacts,
  // their conversations and those conversations' rows (locked in id order; the state before this
  // batch decides which alert each text raises) in one round trip.
  const batchContacts = sql`from ${contacts} where number_id = ${numberId} and wa_id = any(${sql.param(waIds)}::text[])`;
  type Before = { id: string; contact_id: string; assignee_id: string | null; last_message_at: string | null };
  const [, contactRows, , beforeRows] = await pipelined(
    db.execute(sql`
        insert into ${contacts} (number_id, wa_id, profile_name)
        select ${numberId}::uuid, r.wa_id, r.profile_name
        from jsonb_to_recordset(${JSON.stringify(waIds.map((w) => ({ wa_id: w, profile_name: profiles.get(w) ?? null })))}::jsonb)
          as r(wa_id text, profile_name text)
        on conflict (number_id, wa_id) where wa_id is not null do update set profile_name = excluded.profile_name, updated_at = now()
        where excluded.profile_name is not null and excluded.profile_name is distinct from ${contacts.profileName}`),
    db.execute<{ id: string; wa_id: string }>(sql`select id, wa_id ${batchContacts}`),
    db.execute(sql`
        insert into ${conversations} (number_id, contact_id) select ${numberId}::uuid, c.id from (select id ${batchContacts}) c order by c.id
        on conflict do nothing`),
    db.execute<Before>(sql`
        select id, contact_id, assignee_id, last_message_at from ${conversations}
        where number_id = ${numberId} and contact_id in (select id ${batchContacts}) order by id for update`),
  );
  const contactIds = new Map(contactRows!.map((c) => [c.wa_id, c.id]));
  const before = new Map(beforeRows!.map((c) => [c.contact_id, c]));

  const rows = texts.map((t) => {
    const contactId = contactIds.get(t.contact.waId);
    const conversation = contactId ? before.get(contactId) : undefined;
    if (!contactId || !conversation) throw new Error("contact or conversation vanished after insert");
    return { conversationId: conversation.id, contactId, message: t.message };
  });
  const values = rows.map((r) => ({
    conversation_id: r.conversationId,
    contact_id: r.contactId,
    wamid: r.message.id,
    type: r.message.type,
    body: bodyOf(r.message),
    content: contentOf(r.message),
    reply_to_wamid: r.message.context?.id ?? null,
    sent_at: r.message.timestamp,
  }));
  // Every wamid here is locked and was not stored (see above), but the history import does not take
  // these locks: a copy it committed since conflicts, and that text is left to the item-by-item
  // path (`skipped`), which upgrades the copy to the live message.
  const stored = await db.execute<{ id: string; wamid: string; conversation_id: string }>(sql`
    insert into ${messages} (number_id, conversation_id, contact_id, wamid, direction, origin, type, body, content, status,
      reply_to_wamid, sent_at)
    select ${numberId}::uuid, r.conversation_id, r.contact_id, r.wamid, 'inbound', 'customer', r.type, r.body, r.content,
      'received', r.reply_to_wamid, r.sent_at
    from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as r(conversation_id uuid, contact_id uuid, wamid text,
      type text, body text, content jsonb, reply_to_wamid text, sent_at timestamptz)
    on conflict (number_id, wamid) do nothing
    returning id, wamid, conversation_id`);
  const storedIds = new Map(stored.map((s) => [s.wamid, s]));
  for (const t of texts) if (!storedIds.has(t.message.id)) skipped.add(t.message.id);

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
      { type: "message", numberId, conversationId: message.conversation_id, messageId: message.id },
      {
        type: "activity",
        numberId,
        conversationId,
        kind: previous || state.last_message_at ? "customer_message" : "new_conversation",
        assigneeId: state.assignee_id,
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
  const updates = [...touched].map(([id, t]) => ({ id, at: t.at.toISOString(), preview: t.preview, count: t.count }));
  const isNewest = isNewestAt(sql`v.at`);
  // The conversations and the notifications in one round trip (none when nothing was stored).
  await pipelined(
    updates.length === 0
      ? null
      : db.execute(sql`
      update ${conversations} set
        last_message_at = greatest(${conversations.lastMessageAt}, v.at),
        last_message_preview = case when ${isNewest} then v.preview else ${conversations.lastMessagePreview} end,
        last_message_direction = case when ${isNewest} then 'inbound' else ${conversations.lastMessageDirection} end,
        last_customer_message_at = greatest(${conversations.lastCustomerMessageAt}, v.at),
        status = ${reopenedStatus},
        snoozed_until = null,
        unread_count = ${conversations.unreadCount} + v.count
      from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v(id uuid, at timestamptz, preview text, count int)
      where ${conversations.id} = v.id`),
    notifyChanges(db, notices),
  );
  return { skipped };
}
