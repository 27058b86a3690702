import { and, asc, eq, inArray, isNull, lt, or } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { messages } from "@/db/schema";
import { enqueueJob } from "@/lib/jobs/enqueue";

/**
 * The outbound queue's scheduling rules, shared by the send service and the worker. A send job runs
 * in its conversation's graphile-worker queue, so one conversation's messages go out one at a time
 * and in order; different conversations (and numbers) proceed in parallel, paced by the buckets.
 */

/** Origins Tandem itself sends (an agent's reply, a template); others are never queued. */
export const QUEUED_ORIGINS = ["agent", "template"] as const;

export async function enqueueSend(db: Executor, message: { id: string; conversationId: string }, runAt?: Date) {
  // Re-adding with the same key while the job runs creates a fresh job (graphile-worker job_key semantics).
  await enqueueJob(
    db,
    "send-message",
    { messageId: message.id },
    { queue: `send:${message.conversationId}`, jobKey: `send:${message.id}`, runAt },
  );
}

/**
 * The earlier message of the same conversation that must leave (or be discarded) first: one still
 * queued, or one that failed and waits for the agent's retry or discard. Sending past it would
 * reorder the conversation.
 */
export async function findBlockingMessage(db: Executor, message: { id: string; conversationId: string; createdAt: Date }) {
  const [row] = await db
    .select({ id: messages.id, status: messages.status })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, message.conversationId),
        inArray(messages.origin, [...QUEUED_ORIGINS]),
        isNull(messages.wamid),
        inArray(messages.status, ["queued", "failed"]),
        or(
          lt(messages.createdAt, message.createdAt),
          and(eq(messages.createdAt, message.createdAt), lt(messages.id, message.id)),
        ),
      ),
    )
    .orderBy(asc(messages.createdAt), asc(messages.id))
    .limit(1);
  return row ?? null;
}

/** Queues the oldest waiting message of a conversation: called when the one ahead of it has left. */
export async function enqueueNextSend(db: Executor, conversationId: string) {
  const [next] = await db
    .select({ id: messages.id, conversationId: messages.conversationId })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.status, "queued"), isNull(messages.wamid)))
    .orderBy(asc(messages.createdAt), asc(messages.id))
    .limit(1);
  if (next) await enqueueSend(db, next);
}

/** Wakes every paused conversation of a number (reconnected, token replaced). */
export async function resumeNumberSends(db: Executor, numberId: string) {
  const waiting = await db
    .selectDistinctOn([messages.conversationId], { id: messages.id, conversationId: messages.conversationId })
    .from(messages)
    .where(and(eq(messages.numberId, numberId), eq(messages.status, "queued"), isNull(messages.wamid)))
    .orderBy(messages.conversationId, asc(messages.createdAt), asc(messages.id));
  for (const message of waiting) await enqueueSend(db, message);
  return waiting.length;
}

/** Fails every waiting message of a number that can no longer send (disconnected, uninstalled, deleted). */
export async function failNumberSends(db: Executor, numberId: string, error: { code: number; title: string; details?: string }) {
  return db
    .update(messages)
    .set({ status: "failed", error })
    .where(and(eq(messages.numberId, numberId), eq(messages.status, "queued"), isNull(messages.wamid)))
    .returning({ id: messages.id, conversationId: messages.conversationId });
}
