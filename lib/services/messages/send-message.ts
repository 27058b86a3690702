import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { conversations, messages, numbers } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { notifyChange } from "@/lib/realtime/notify";
import type { Ctx, UserActor } from "../context";
import { windowRefusal } from "../conversations/window";
import { assertCanAccessNumber } from "../numbers/access";
import { SEND_BLOCKING_STATES } from "../numbers/apply-account-update";
import { enqueueSend } from "./send-queue";

export const MAX_TEXT_LENGTH = 4096;

/** What an agent sends, already validated: the row's type, preview text and Meta's type object. */
export type OutboundDraft = {
  type: string;
  origin: "agent" | "template";
  /** Text shown in the bubble and the list preview (text, caption, filled template). */
  body: string | null;
  /** Meta's type-specific object, sent as is: `{ text: { body } }`, `{ image: { id, caption } }`. */
  content: Record<string, unknown>;
  /** Templates may be sent outside the customer-service window; everything else may not. */
  needsWindow: boolean;
  preview: string;
};

/**
 * Queues an agent's text reply. The message row and its send job commit together; the browser's
 * idempotency key makes a retried click return the first message instead of sending twice.
 */
export async function sendMessage({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: { conversationId: string; clientKey: string; text: string; replyToWamid?: string | null };
}) {
  const text = input.text.trim();
  if (!text) throw new AppError("VALIDATION", "The message is empty.");
  if (text.length > MAX_TEXT_LENGTH) throw new AppError("VALIDATION", `A message has at most ${MAX_TEXT_LENGTH} characters.`);
  return queueOutbound({
    ctx,
    input: {
      conversationId: input.conversationId,
      clientKey: input.clientKey,
      replyToWamid: input.replyToWamid ?? null,
      draft: { type: "text", origin: "agent", body: text, content: { text: { body: text } }, needsWindow: true, preview: text },
    },
  });
}

/**
 * The one way into the outbound queue for every kind of send (text, media, template, reaction):
 * access, idempotency key, number state and window are checked in the transaction that stores the
 * message and its job.
 */
export async function queueOutbound({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: {
    conversationId: string;
    clientKey: string;
    replyToWamid: string | null;
    draft: OutboundDraft;
    now?: Date;
    /** Runs in the same transaction once the message row exists (a sent file's media asset). */
    onQueued?: (tx: Executor, message: { id: string; numberId: string }) => Promise<void>;
  };
}) {
  const { draft } = input;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ conversation: conversations, number: numbers })
      .from(conversations)
      .innerJoin(numbers, eq(numbers.id, conversations.numberId))
      .where(eq(conversations.id, input.conversationId))
      .for("update", { of: conversations });
    if (!row) throw new AppError("NOT_FOUND", "This conversation does not exist.");
    await assertCanAccessNumber({ ...ctx, db: tx }, row.number.id, "NOT_FOUND");

    const [existing] = await tx
      .select({ id: messages.id, conversationId: messages.conversationId })
      .from(messages)
      .where(and(eq(messages.numberId, row.number.id), eq(messages.clientKey, input.clientKey)));
    if (existing) {
      if (existing.conversationId !== row.conversation.id)
        throw new AppError("CONFLICT", "This idempotency key was used for another conversation.");
      return { messageId: existing.id, duplicate: true };
    }

    if (SEND_BLOCKING_STATES.has(row.number.state) && row.number.state !== "offboarded") {
      throw new AppError(
        "NUMBER_UNAVAILABLE",
        `This number is ${row.number.state}; messages cannot be sent until it is reconnected.`,
      );
    }
    const now = input.now ?? new Date();
    if (draft.needsWindow) {
      const refusal = windowRefusal(row.conversation, now);
      if (refusal) throw new AppError("WINDOW_CLOSED", `Only an approved template can be sent: ${refusal}.`);
    }

    const [message] = await tx
      .insert(messages)
      .values({
        numberId: row.number.id,
        conversationId: row.conversation.id,
        contactId: row.conversation.contactId,
        direction: "outbound",
        origin: draft.origin,
        type: draft.type,
        body: draft.body,
        content: draft.content,
        status: "queued",
        authorUserId: ctx.actor.userId,
        clientKey: input.clientKey,
        replyToWamid: input.replyToWamid,
        sentAt: now,
      })
      .returning({ id: messages.id });
    if (!message) throw new Error("insert returned no row");
    await input.onQueued?.(tx, { id: message.id, numberId: row.number.id });

    // The number's setting: whoever answers an unassigned conversation first takes it.
    const takesIt = row.number.autoAssignOnReply && row.conversation.assigneeId === null;
    await tx
      .update(conversations)
      .set({
        lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${now.toISOString()}::timestamptz)`,
        lastMessagePreview: draft.preview,
        lastMessageDirection: "outbound",
        // Replying means the agent has read the conversation.
        unreadCount: 0,
        ...(takesIt ? { assigneeId: ctx.actor.userId } : {}),
      })
      .where(eq(conversations.id, row.conversation.id));
    // Queued while offboarded: the job finds the number paused and waits for ACCOUNT_RECONNECTED.
    await enqueueSend(tx, { id: message.id, conversationId: row.conversation.id });
    await notifyChange(tx, {
      type: "message",
      numberId: row.number.id,
      conversationId: row.conversation.id,
      messageId: message.id,
    });
    return { messageId: message.id, duplicate: false };
  });
}
