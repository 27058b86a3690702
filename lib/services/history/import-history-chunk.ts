import { createHash } from "node:crypto";
import { type Database, pipelined, type TxSql } from "@/db/client";
import { historyChunks, type numbers } from "@/db/schema";
import { notifyChange } from "@/lib/realtime/notify";
import { previewOf } from "@/lib/whatsapp/message-types";
import type { WebhookEvent } from "@/lib/whatsapp/webhook-payload";
import { resolveContactOnly } from "../contacts/resolve-contact";
import { lockMessageKeys } from "../messages/lock-message-keys";
import { applyPendingChanges } from "../messages/message-changes";
import { bodyOf, contentOf } from "../messages/message-content";
import { recordHistoryProgress } from "./record-history-progress";

type HistoryChunk = Extract<WebhookEvent, { kind: "history_chunk" }>;
type Number = typeof numbers.$inferSelect;

/** history_context.status (upper-case) to Tandem's outbound status. */
const OUTBOUND_STATUS: Record<string, string> = {
  // Never confirmed by WhatsApp, and it never will be now: no sending clock on an archived message.
  PENDING: "sent",
  SENT: "sent",
  DELIVERED: "delivered",
  READ: "read",
  PLAYED: "played",
  ERROR: "failed",
};

/**
 * Imports one history chunk with multi-row inserts. History is an archive: original timestamps,
 * origin "history", no unread counts, no window, and the conversation's place in the list is
 * clamped to the onboarding time so old threads never rise above live ones. A chunk already
 * imported (the same messages at the same place in the sync) is skipped whole; messages are unique
 * by wamid anyway.
 */
export async function importHistoryChunk(tx: { db: Database; sql: TxSql }, input: { number: Number; chunk: HistoryChunk }) {
  const { db, sql } = tx;
  const { number, chunk } = input;
  const messageCount = chunk.threads.reduce((n, t) => n + t.messages.length, 0);
  const [fresh] = await db
    .insert(historyChunks)
    .values({
      numberId: number.id,
      contentSha256: chunkDigest(chunk),
      phase: chunk.phase,
      chunkOrder: chunk.chunkOrder,
      progress: chunk.progress,
      messageCount,
    })
    .onConflictDoNothing()
    .returning({ phase: historyChunks.phase });
  if (!fresh) return { imported: 0, skipped: true };

  const threads = chunk.threads.filter((t) => t.contact.waId || t.contact.userId);
  // Media follow-ups may be processed concurrently with their placeholders (see lockMessageKeys).
  const placeholders = threads.flatMap((t) => t.messages.filter((m) => m.type === "media_placeholder").map((m) => m.id));
  await lockMessageKeys(db, number.id, placeholders);
  // Contacts: phone-number threads in bulk; BSUID threads through the merging path.
  const byWa = threads.filter((t) => t.contact.waId && !t.contact.userId);
  if (byWa.length) {
    const rows = [...new Set(byWa.map((t) => t.contact.waId!))].map((waId) => ({ number_id: number.id, wa_id: waId }));
    await sql`insert into contacts ${sql(rows)} on conflict (number_id, wa_id) where wa_id is not null do nothing`;
  }
  const contactIdOf = new Map<string, string>();
  if (byWa.length) {
    const found = await sql<{ id: string; wa_id: string }[]>`
      select id, wa_id from contacts where number_id = ${number.id} and wa_id = any(${byWa.map((t) => t.contact.waId!)})`;
    for (const c of found) contactIdOf.set(`wa:${c.wa_id}`, c.id);
  }
  for (const t of threads.filter((t) => t.contact.userId)) {
    const contact = await resolveContactOnly(db, { numberId: number.id, ref: t.contact });
    contactIdOf.set(`user:${t.contact.userId}`, contact.id);
  }
  const contactOf = (t: (typeof threads)[number]) =>
    contactIdOf.get(t.contact.userId ? `user:${t.contact.userId}` : `wa:${t.contact.waId}`)!;

  const contactIds = [...new Set(threads.map(contactOf))];
  // A chunk without threads (the last one often is) still counts: its progress may complete the sync.
  const { inserted, newConversations, pending } = contactIds.length
    ? await insertMessages(tx, { number, threads, contactIds, contactOf })
    : { inserted: 0, newConversations: 0, pending: [] };

  await applyPendingChanges(db, { numberId: number.id, wamids: pending });
  await recordHistoryProgress(db, {
    numberId: number.id,
    phase: chunk.phase,
    progress: chunk.progress,
    messages: inserted,
    conversations: newConversations,
  });
  await notifyChange(db, { type: "number", numberId: number.id });
  return { imported: inserted, skipped: false };
}

type Thread = HistoryChunk["threads"][number];

/**
 * What makes a chunk the same chunk: its place in the sync, its threads' contacts, and each
 * message's id and status. A second delivery with these stores nothing new (messages are unique by
 * wamid), so it is skipped whole; a later sync reporting other statuses is not. Hashing the whole
 * parsed chunk instead (its JSON text, timestamps and texts included) cost the worker about 4 ms of
 * a 1,000-message chunk, a fifth of its time in the import.
 */
function chunkDigest(chunk: HistoryChunk) {
  const identity = [
    chunk.phase,
    chunk.chunkOrder,
    chunk.progress,
    chunk.threads.map((t) => [t.contact, t.messages.map((m) => [m.id, m.history_context?.status])]),
  ];
  return createHash("sha256").update(JSON.stringify(identity)).digest("hex");
}

/** Content the import statement rebuilds from type and body: a plain text, or a type without an object. */
function isBuiltFromBody(m: Thread["messages"][number]) {
  const value = (m as Record<string, unknown>)[m.type];
  if (m.errors) return false;
  if (value === undefined || value === null) return true;
  return m.type === "text" && isOnlyBody(value);
}

const isOnlyBody = (value: unknown) =>
  typeof value === "object" &&
  value !== null &&
  Object.keys(value).length === 1 &&
  typeof (value as { body?: unknown }).body === "string";

/**
 * Conversations and messages of a chunk's threads; returns how many messages and conversations are
 * new, and the new messages that have changes waiting for them.
 */
async function insertMessages(
  tx: { db: Database; sql: TxSql },
  input: { number: Number; threads: Thread[]; contactIds: string[]; contactOf: (t: Thread) => string },
) {
  const { sql } = tx;
  const { number, threads, contactIds, contactOf } = input;
  // History is an archive: a conversation it creates starts resolved, out of the agents' queues,
  // until the customer writes again (a live message reopens it); existing conversations keep theirs.
  await sql`insert into conversations ${sql(contactIds.map((id) => ({ number_id: number.id, contact_id: id, status: "resolved" })))}
    on conflict (number_id, contact_id) do nothing`;
  const conversationRows = await sql<{ id: string; contact_id: string }[]>`
    select id, contact_id from conversations where number_id = ${number.id} and contact_id = any(${contactIds})`;
  const conversationOf = new Map(conversationRows.map((c) => [c.contact_id, c.id]));

  // One statement for the whole chunk: the messages travel as one JSON parameter (serialised
  // natively, read once by json_to_recordset; short keys, nulls left out, since its size is most of
  // the statement's cost) and the insert, the conversations' newest imported message and the lookup
  // of waiting edits, revokes and media follow-ups run together, so only counts come back.
  const threadConversations: string[] = [];
  const threadContacts: string[] = [];
  const rows = threads.flatMap((t, thread) => {
    const contactId = contactOf(t);
    threadConversations.push(conversationOf.get(contactId)!);
    threadContacts.push(contactId);
    return t.messages.map((m) => {
      const body = bodyOf(m);
      const preview = previewOf(m);
      return {
        t: thread + 1,
        id: m.id,
        dir: m.direction,
        type: m.type,
        body: body ?? undefined,
        // Parsing it as jsonb costs PostgreSQL about as much as the rest of the row: left out when the statement can build it.
        content: isBuiltFromBody(m) ? undefined : contentOf(m),
        status: m.direction === "inbound" ? "received" : (OUTBOUND_STATUS[m.history_context?.status ?? ""] ?? "sent"),
        hist: m.history_context?.status,
        reply: m.context?.id,
        at: m.timestamp.getTime() / 1000,
        // Most previews are the body itself.
        preview: preview === body ? undefined : preview,
      };
    });
  });
  // The worker's connections plan every statement for its values (force_custom_plan), and the
  // setting also reaches what runs inside a statement: each of the chunk's 1,000 checks of the
  // foreign key to `conversations` was planned anew, about a third of PostgreSQL's CPU in the import.
  // For this one statement, checks and triggers keep one plan each (`reset` gives the transaction's
  // next statements the connection's setting back). The statement goes unnamed, so its own plan
  // (no value in it changes the plan) is still made for each chunk, from the tables' current sizes.
  const [, imported] = await pipelined(
    sql`select set_config('plan_cache_mode', 'force_generic_plan', true)`,
    sql.unsafe<{ inserted: number; new_conversations: number; pending: string[] }[]>(
      `
    with chunk as (
      select t.conversation_id, t.contact_id, m.position, m.id as wamid, m.dir as direction, m.type, m.body,
        coalesce(m.content, jsonb_build_object(m.type, case when m.type = 'text' then jsonb_build_object('body', m.body) end)) as content,
        m.status, m.hist as history_status, m.reply as reply_to_wamid, m.at as sent_at, m.preview
      from rows from (json_to_recordset($1::json) as (t int, id text, dir message_direction, type text,
        body text, content jsonb, status message_status, hist text, reply text, at float8, preview text))
        with ordinality as m(t, id, dir, type, body, content, status, hist, reply, at, preview, position)
      join unnest($2::uuid[], $3::uuid[]) with ordinality
        as t(conversation_id, contact_id, thread) on t.thread = m.t
    ), inserted as (
      insert into messages (number_id, conversation_id, contact_id, wamid, direction, origin, type, body, content, status,
        history_status, reply_to_wamid, sent_at)
      select $4::uuid, conversation_id, contact_id, wamid, direction, 'history', type, body, content, status,
        history_status, reply_to_wamid, to_timestamp(sent_at)
      from chunk
      on conflict (number_id, wamid) do nothing
      returning wamid
    ), newest as (
      -- The newest imported message per conversation, clamped to onboarding, may become its last message.
      select distinct on (c.conversation_id) c.conversation_id,
        least(to_timestamp(c.sent_at), $5::timestamptz) as at,
        coalesce(c.preview, c.body, '') as preview, c.direction
      from chunk c
      where c.wamid in (select wamid from inserted)
      order by c.conversation_id, c.sent_at desc, c.position
    ), updated as (
      update conversations c set
        last_message_at = greatest(c.last_message_at, v.at),
        last_message_preview = case when c.last_message_at is null or c.last_message_at <= v.at then v.preview else c.last_message_preview end,
        last_message_direction = case when c.last_message_at is null or c.last_message_at <= v.at then v.direction::text else c.last_message_direction end,
        has_history = true
      from newest v, conversations old
      where c.id = v.conversation_id and old.id = c.id
      returning not old.has_history as first_import
    )
    select (select count(*) from inserted)::int as inserted,
      (select count(*) from updated where first_import)::int as new_conversations,
      array(select distinct target_wamid from message_changes
        where number_id = $4::uuid and target_wamid = any(array(select wamid from inserted))) as pending`,
      [
        JSON.stringify(rows),
        sql.array(threadConversations),
        sql.array(threadContacts),
        number.id,
        number.onboardedAt.toISOString(),
      ],
      { prepare: false },
    ),
    sql`reset plan_cache_mode`,
  );
  const [result] = imported!;
  return { inserted: result!.inserted, newConversations: result!.new_conversations, pending: result!.pending };
}
