import { and, desc, eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { messages, users } from "../schema";

/** One page of a thread, newest first; the browser reverses it for display. */
export async function listMessages(
  db: Executor,
  params: { conversationId: string; before?: { sentAt: Date; id: string }; limit: number },
) {
  return db
    .select({
      id: messages.id,
      conversationId: messages.conversationId,
      wamid: messages.wamid,
      direction: messages.direction,
      origin: messages.origin,
      type: messages.type,
      body: messages.body,
      content: messages.content,
      status: messages.status,
      error: messages.error,
      authorName: users.name,
      clientKey: messages.clientKey,
      replyToWamid: messages.replyToWamid,
      sentAt: messages.sentAt,
    })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .where(
      and(
        eq(messages.conversationId, params.conversationId),
        params.before
          ? sql`(${messages.sentAt}, ${messages.id}) < (${params.before.sentAt.toISOString()}::timestamptz, ${params.before.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(messages.sentAt), desc(messages.id))
    .limit(params.limit);
}

export type ThreadMessage = Awaited<ReturnType<typeof listMessages>>[number];
