import { and, asc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { conversations, messageChanges, messages } from "@/db/schema";
import { notifyChange } from "@/lib/realtime/notify";
import type { WaMessage } from "@/lib/whatsapp/webhook-payload";
import { renewWindow } from "../conversations/touch-conversation";
import { queueMediaDownload } from "../media/queue-media-download";
import { lockMessageKeys } from "./lock-message-keys";
import { bodyOf, DELETED_PREVIEW } from "./message-content";

type Change = typeof messageChanges.$inferInsert;

/** Stores an edit, revoke or media follow-up once, then applies it if its original exists. */
export async function recordMessageChange(db: Executor, change: Change) {
  await lockMessageKeys(db, change.numberId, [change.targetWamid]);
  await db.insert(messageChanges).values(change).onConflictDoNothing();
  await applyMessageChanges(db, { numberId: change.numberId, wamid: change.targetWamid });
}

/** The change an edit or revoke message describes, or null when it is neither. */
export function changeFromMessage(message: WaMessage, actor: "customer" | "phone"): Omit<Change, "numberId"> | null {
  if (message.type === "revoke") {
    const target = (message.revoke as { original_message_id?: string } | undefined)?.original_message_id;
    if (!target) return null;
    return { changeId: message.id, kind: "revoke", targetWamid: target, actor, occurredAt: message.timestamp };
  }
  if (message.type === "edit") {
    const edit = message.edit as
      | { original_message_id?: string; message?: Record<string, unknown> & { type?: string } }
      | undefined;
    if (!edit?.original_message_id || !edit.message?.type) return null;
    const inner = { ...edit.message, id: message.id, timestamp: message.timestamp, type: edit.message.type } as WaMessage;
    return {
      changeId: message.id,
      kind: "edit",
      targetWamid: edit.original_message_id,
      actor,
      content: { type: inner.type, body: bodyOf(inner), content: edit.message[inner.type] ?? null },
      occurredAt: message.timestamp,
    };
  }
  return null;
}

/**
 * Recomputes a message from its stored changes: the newest edit's text (earlier versions kept in
 * edit_history), deletion by any revoke, and the content of a history media follow-up. Idempotent,
 * so it runs after every change and after every new message. Says whether the message is deleted.
 */
export async function applyMessageChanges(
  db: Executor,
  input: { numberId: string; wamid: string },
): Promise<{ isDeleted: boolean }> {
  const changes = await db
    .select()
    .from(messageChanges)
    .where(and(eq(messageChanges.numberId, input.numberId), eq(messageChanges.targetWamid, input.wamid)))
    .orderBy(asc(messageChanges.occurredAt), asc(messageChanges.changeId));
  if (changes.length === 0) return { isDeleted: false };
  const [message] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.numberId, input.numberId), eq(messages.wamid, input.wamid)));
  if (!message) return { isDeleted: false };

  const media = changes.find((c) => c.kind === "media");
  const edits = changes.filter((c) => c.kind === "edit");
  const revoke = changes.find((c) => c.kind === "revoke");
  const original = media?.content && message.type === "media_placeholder" ? media.content : null;
  const baseBody = original ? original.body : message.body;
  const lastEdit = edits.at(-1);
  // The customer editing is the customer writing (idempotent: the window only moves forward).
  const customerEdit = edits.filter((e) => e.actor === "customer").at(-1);
  if (customerEdit) await renewWindow(db, { numberId: input.numberId, targetWamid: input.wamid, at: customerEdit.occurredAt });
  const history = lastEdit
    ? [
        { body: baseBody, at: message.sentAt.toISOString() },
        ...edits.slice(0, -1).map((e) => ({ body: e.content?.body ?? null, at: e.occurredAt.toISOString() })),
      ]
    : null;

  const next = {
    ...(original ? { type: original.type, body: original.body, content: { [original.type]: original.content } } : {}),
    editedBody: lastEdit?.content?.body ?? null,
    editedAt: lastEdit?.occurredAt ?? null,
    editHistory: history,
    deletedAt: revoke?.occurredAt ?? null,
  };
  const unchanged =
    !original &&
    message.editedBody === next.editedBody &&
    message.editedAt?.getTime() === next.editedAt?.getTime() &&
    message.deletedAt?.getTime() === next.deletedAt?.getTime();
  if (unchanged) return { isDeleted: next.deletedAt !== null };
  await db.update(messages).set(next).where(eq(messages.id, message.id));
  if (next.deletedAt && !message.deletedAt) await hideDeletedPreview(db, message);
  if (original) {
    await queueMediaDownload(db, {
      numberId: message.numberId,
      messageId: message.id,
      message: { type: original.type, [original.type]: original.content },
    });
  }
  await notifyChange(db, {
    type: "message",
    numberId: message.numberId,
    conversationId: message.conversationId,
    messageId: message.id,
  });
  return { isDeleted: next.deletedAt !== null };
}

/**
 * A deleted message's text leaves the list at once: when it is the conversation's newest, the
 * preview says it was deleted. A tie on sent_at hides the preview too (never shows deleted text).
 */
async function hideDeletedPreview(db: Executor, message: { id: string; conversationId: string; sentAt: Date }) {
  await db
    .update(conversations)
    .set({ lastMessagePreview: DELETED_PREVIEW })
    .where(
      and(
        eq(conversations.id, message.conversationId),
        sql`not exists (select 1 from ${messages} m where m.conversation_id = ${message.conversationId}
          and m.sent_at > ${message.sentAt.toISOString()}::timestamptz)`,
      ),
    );
}

/** Applies waiting changes to many new messages at once (history import). */
export async function applyPendingChanges(db: Executor, input: { numberId: string; wamids: string[] }) {
  if (input.wamids.length === 0) return;
  const rows = await db
    .selectDistinct({ wamid: messageChanges.targetWamid })
    .from(messageChanges)
    // One array parameter, not one per id: a history chunk passes a thousand.
    .where(
      and(
        eq(messageChanges.numberId, input.numberId),
        sql`${messageChanges.targetWamid} = any(${sql.param(input.wamids)}::text[])`,
      ),
    );
  for (const row of rows) await applyMessageChanges(db, { numberId: input.numberId, wamid: row.wamid });
}
