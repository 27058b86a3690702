import { and, eq, sql } from "drizzle-orm";
import { conversations, messages, numbers } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { notifyChange } from "@/lib/realtime/notify";
import type { Ctx, UserActor } from "../context";
import { isWindowOpen } from "../conversations/window";
import { assertCanAccessNumber } from "../numbers/access";
import { SEND_BLOCKING_STATES } from "../numbers/apply-account-update";

export const MAX_TEXT_LENGTH = 4096;

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

    if (SEND_BLOCKING_STATES.has(row.number.state)) {
      throw new AppError(
        "NUMBER_UNAVAILABLE",
        `This number is ${row.number.state}; messages cannot be sent until it is reconnected.`,
      );
    }
    if (!isWindowOpen(row.conversation.lastCustomerMessageAt)) {
      throw new AppError(
        "WINDOW_CLOSED",
        "The 24-hour customer-service window is closed: only an approved template can be sent until the customer writes again.",
      );
    }

    const now = new Date();
    const [message] = await tx
      .insert(messages)
      .values({
        numberId: row.number.id,
        conversationId: row.conversation.id,
        contactId: row.conversation.contactId,
        direction: "outbound",
        origin: "agent",
        type: "text",
        body: text,
        content: { text: { body: text } },
        status: "queued",
        authorUserId: ctx.actor.userId,
        clientKey: input.clientKey,
        replyToWamid: input.replyToWamid ?? null,
        sentAt: now,
      })
      .returning({ id: messages.id });
    if (!message) throw new Error("insert returned no row");

    await tx
      .update(conversations)
      .set({
        lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${now.toISOString()}::timestamptz)`,
        lastMessagePreview: text,
        lastMessageDirection: "outbound",
        // Replying means the agent has read the conversation.
        unreadCount: 0,
      })
      .where(eq(conversations.id, row.conversation.id));
    // One queue per number keeps a conversation's messages in order across worker processes.
    await enqueueJob(
      tx,
      "send-message",
      { messageId: message.id },
      { queue: `send:${row.number.id}`, jobKey: `send:${message.id}` },
    );
    await notifyChange(tx, {
      type: "message",
      numberId: row.number.id,
      conversationId: row.conversation.id,
      messageId: message.id,
    });
    return { messageId: message.id, duplicate: false };
  });
}
