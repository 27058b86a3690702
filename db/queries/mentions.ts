import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "../client";
import { contacts, conversations, mentions, messages, users } from "../schema";
import { displayName } from "./conversations";

const author = alias(users, "author");

/** A user's unread mentions on the given numbers, newest first: who wrote what, in which conversation. */
export function listUnreadMentions(db: Executor, params: { userId: string; numberIds: string[]; limit: number }) {
  if (params.numberIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      messageId: mentions.messageId,
      conversationId: mentions.conversationId,
      numberId: mentions.numberId,
      createdAt: mentions.createdAt,
      text: messages.body,
      authorName: author.name,
      contactName: displayName,
    })
    .from(mentions)
    .innerJoin(messages, eq(messages.id, mentions.messageId))
    .innerJoin(conversations, eq(conversations.id, mentions.conversationId))
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .leftJoin(author, eq(author.id, messages.authorUserId))
    .where(and(eq(mentions.userId, params.userId), isNull(mentions.readAt), inArray(mentions.numberId, params.numberIds)))
    .orderBy(desc(mentions.createdAt))
    .limit(params.limit);
}

/** Marks a user's mentions in a conversation read; returns how many were unread. */
export async function markMentionsRead(db: Executor, params: { userId: string; conversationId: string }) {
  const rows = await db
    .update(mentions)
    .set({ readAt: new Date() })
    .where(and(eq(mentions.userId, params.userId), eq(mentions.conversationId, params.conversationId), isNull(mentions.readAt)))
    .returning({ messageId: mentions.messageId });
  return rows.length;
}
