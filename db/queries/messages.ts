import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "../client";
import { mediaAssets, messageReactions, messages, users } from "../schema";

const quoted = alias(messages, "quoted");

/** A message as the thread shows it: author, quoted message, media and reactions included. */
function selectThreadMessages(db: Executor) {
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
      authorUserId: messages.authorUserId,
      authorName: users.name,
      clientKey: messages.clientKey,
      replyToWamid: messages.replyToWamid,
      sentAt: messages.sentAt,
      editedBody: messages.editedBody,
      editedAt: messages.editedAt,
      editHistory: messages.editHistory,
      deletedAt: messages.deletedAt,
      historyStatus: messages.historyStatus,
      quoted: {
        id: quoted.id,
        type: quoted.type,
        // A deleted message's text never travels inside the replies that quote it.
        body: sql<string | null>`case when ${quoted.deletedAt} is null then coalesce(${quoted.editedBody}, ${quoted.body}) end`,
        direction: quoted.direction,
        origin: quoted.origin,
        deletedAt: quoted.deletedAt,
      },
      media: {
        id: mediaAssets.id,
        state: mediaAssets.state,
        mimeType: mediaAssets.mimeType,
        fileName: mediaAssets.fileName,
        byteSize: mediaAssets.byteSize,
        error: mediaAssets.error,
        nextAttemptAt: mediaAssets.nextAttemptAt,
      },
      reactions: sql<{ reactor: "customer" | "business"; emoji: string }[]>`coalesce((
        select json_agg(json_build_object('reactor', r.reactor, 'emoji', r.emoji) order by r.reacted_at)
        from ${messageReactions} r
        where r.number_id = ${messages.numberId} and r.target_wamid = ${messages.wamid} and r.emoji <> ''), '[]'::json)`.mapWith(
        (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v) as { reactor: "customer" | "business"; emoji: string }[],
      ),
    })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .leftJoin(quoted, and(eq(quoted.numberId, messages.numberId), eq(quoted.wamid, messages.replyToWamid)))
    .leftJoin(mediaAssets, eq(mediaAssets.messageId, messages.id));
}

/**
 * One page of a thread, newest first; the browser reverses it for display. The page's ids come
 * first, by the thread index, and only those rows are joined: the same plan serves a thread of ten
 * messages and one of ten thousand, however PostgreSQL caches it.
 */
export async function listMessages(
  db: Executor,
  params: {
    conversationId: string;
    before?: { sentAt: Date; id: string };
    limit: number;
    /** A condition on the reader rather than the rows (an access check), checked once. */
    onlyIf?: SQL;
  },
) {
  const page = db
    .select({ id: messages.id })
    .from(messages)
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
  return selectThreadMessages(db)
    .where(and(inArray(messages.id, page), params.onlyIf))
    .orderBy(desc(messages.sentAt), desc(messages.id))
    .limit(params.limit);
}

export type ThreadMessage = Awaited<ReturnType<typeof listMessages>>[number];

/** One message in the thread's shape. */
export async function findThreadMessage(db: Executor, id: string): Promise<ThreadMessage | null> {
  const [row] = await selectThreadMessages(db).where(eq(messages.id, id));
  return row ?? null;
}

/** Messages in the thread's shape, in no particular order, for live updates that draw them without a refetch. */
export async function listThreadMessagesByIds(db: Executor, ids: string[]): Promise<ThreadMessage[]> {
  if (ids.length === 0) return [];
  return selectThreadMessages(db).where(inArray(messages.id, ids));
}
