import { and, desc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client";
import {
  contacts,
  conversationLabels,
  type conversationStatus,
  conversations,
  type MessageError,
  messages,
  users,
} from "../schema";
import {
  highlighted,
  type MessageDirection,
  matchesContact,
  matchesText,
  newestMatchingMessage,
  type SearchMatch,
  type SearchTerms,
  searchConversationIds,
} from "./search";

export type ConversationView = "all" | "mine" | "unassigned";
export type ConversationStatus = (typeof conversationStatus.enumValues)[number];

const addressBookName = sql`case when ${contacts.addressBookRemovedAt} is null then ${contacts.addressBookName} end`;

/** Name precedence: agent-edited, the phone's address book, WhatsApp profile name, the number. */
export const displayName = sql<string>`coalesce(${contacts.customName}, ${addressBookName}, ${contacts.profileName}, ${contacts.waId}, ${contacts.userId}, 'Unknown')`;
export const nameSource = sql<"agent" | "address_book" | "profile" | "number">`case
  when ${contacts.customName} is not null then 'agent'
  when ${addressBookName} is not null then 'address_book'
  when ${contacts.profileName} is not null then 'profile'
  else 'number' end`;

const listColumns = {
  id: conversations.id,
  numberId: conversations.numberId,
  status: conversations.status,
  snoozedUntil: conversations.snoozedUntil,
  labelIds: sql<
    string[]
  >`array(select ${conversationLabels.labelId} from ${conversationLabels} where ${conversationLabels.conversationId} = ${conversations.id} order by ${conversationLabels.labelId})`,
  unreadCount: conversations.unreadCount,
  lastMessageAt: conversations.lastMessageAt,
  lastMessagePreview: conversations.lastMessagePreview,
  lastMessageDirection: conversations.lastMessageDirection,
  lastCustomerMessageAt: conversations.lastCustomerMessageAt,
  windowClosedAt: conversations.windowClosedAt,
  // The newest message's error when it failed, so the row says why instead of the preview (by the
  // thread's index, one row). Only an outbound message can fail: a row whose newest message came in
  // reads nothing (a search's rows are old conversations, whose index pages are seldom in memory).
  lastFailure: sql<MessageError | null>`case when ${conversations.lastMessageDirection} = 'outbound' then (
    select case when m.status = 'failed' then coalesce(m.error, '{"code":0}'::jsonb) end
    from messages m where m.conversation_id = ${conversations.id}
    order by m.sent_at desc nulls first, m.id desc nulls first limit 1) end`,
  assigneeId: conversations.assigneeId,
  assigneeName: users.name,
  contact: {
    id: contacts.id,
    waId: contacts.waId,
    userId: contacts.userId,
    profileName: contacts.profileName,
    addressBookName: contacts.addressBookName,
    addressBookRemovedAt: contacts.addressBookRemovedAt,
    displayName,
    nameSource,
  },
};

const isClosedByMeta = sql`(${conversations.windowClosedAt} is not null and ${conversations.windowClosedAt} >= ${conversations.lastCustomerMessageAt})`;
const windowClosingSoon = sql`(${conversations.lastCustomerMessageAt} > now() - interval '24 hours' and ${conversations.lastCustomerMessageAt} <= now() - interval '22 hours' and not ${isClosedByMeta})`;
const windowClosed = sql`(${conversations.lastCustomerMessageAt} is null or ${conversations.lastCustomerMessageAt} <= now() - interval '24 hours' or ${isClosedByMeta})`;

type ListParams = {
  numberIds: string[];
  view: ConversationView;
  userId: string;
  status?: ConversationStatus;
  labelId?: string;
  /** closing: the window closes within 2 hours; closed: no open window (never opened, expired, or 131047). */
  window?: "closing" | "closed";
  cursor?: { lastMessageAt: Date; id: string };
  limit: number;
  /** A condition on the reader rather than the rows (an access check), checked once. */
  onlyIf?: SQL;
};

/**
 * The conditions of a list page and the keys it is ordered by. A label marks few conversations: its
 * rows carry their conversation's number and list order (kept by triggers, migration 0019), so
 * unless a search picks the rows, the label's page walks the label's own index in list order rather
 * than the whole list with a probe of the label on each row.
 */
function listConditions(params: ListParams, searching: boolean) {
  const labelled = params.labelId && !searching ? params.labelId : undefined;
  const order = labelled
    ? { numberId: conversationLabels.numberId, at: conversationLabels.lastMessageAt, id: conversationLabels.conversationId }
    : { numberId: conversations.numberId, at: conversations.lastMessageAt, id: conversations.id };
  const where: (SQL | undefined)[] = [inArray(order.numberId, params.numberIds), params.onlyIf];
  if (params.view === "mine") where.push(eq(conversations.assigneeId, params.userId));
  if (params.view === "unassigned") where.push(isNull(conversations.assigneeId));
  if (params.status) where.push(eq(conversations.status, params.status));
  if (labelled) where.push(eq(conversationLabels.labelId, labelled));
  else if (params.labelId) {
    where.push(
      sql`exists (select 1 from ${conversationLabels} where ${conversationLabels.conversationId} = ${conversations.id} and ${conversationLabels.labelId} = ${params.labelId})`,
    );
  }
  if (params.window) where.push(params.window === "closing" ? windowClosingSoon : windowClosed);
  if (params.cursor) {
    where.push(
      sql`(${order.at}, ${order.id}) < (${params.cursor.lastMessageAt.toISOString()}::timestamptz, ${params.cursor.id}::uuid)`,
    );
  }
  where.push(sql`${order.at} is not null`);
  return { where, order, labelled };
}

/** One page of a number's conversation list, newest activity first, keyset-paginated. */
export async function listConversations(db: Executor, params: ListParams) {
  if (params.numberIds.length === 0) return [];
  const { where, order, labelled } = listConditions(params, false);
  const query = db
    .select(listColumns)
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .leftJoin(users, eq(users.id, conversations.assigneeId))
    .$dynamic();
  return (labelled ? query.innerJoin(conversationLabels, eq(conversationLabels.conversationId, conversations.id)) : query)
    .where(and(...where))
    .orderBy(desc(order.at), desc(order.id))
    .limit(params.limit);
}

/** The list's columns and the matching message of the lateral `hit`, its words marked. */
const searchColumns = (terms: SearchTerms) => ({
  ...listColumns,
  matchId: sql<string | null>`hit.id`,
  matchSentAt: sql<string | null>`hit.sent_at`,
  matchSnippet: sql<string | null>`${highlighted(sql`hit.text`, terms)}`,
  matchDirection: sql<MessageDirection | null>`hit.direction`,
});

type MatchColumns = {
  matchId: string | null;
  matchSentAt: string | null;
  matchSnippet: string | null;
  matchDirection: MessageDirection | null;
};

const withMatch = <T extends MatchColumns>({
  matchId,
  matchSentAt,
  matchSnippet,
  matchDirection,
  ...row
}: T): Omit<T, keyof MatchColumns> & { match: SearchMatch | null } => ({
  ...row,
  match: matchId
    ? { messageId: matchId, sentAt: new Date(matchSentAt!), snippet: matchSnippet!, direction: matchDirection! }
    : null,
});

/**
 * A page of a search through the indexes: the conversations whose contact's name or number, or
 * whose current message text matches, newest first, each with its newest matching message, marked
 * (null when only the name or number matched), in one statement. The matching messages come from
 * the text index; for a rare word they are few, and the page's matches are picked among them. A
 * common word (`common`) matches too many messages to keep: the page's rows walk their own
 * messages newest first instead.
 */
export async function listSearchedConversations(db: Executor, params: ListParams & { terms: SearchTerms; common: boolean }) {
  if (params.numberIds.length === 0) return [];
  const { where } = listConditions(params, true);
  const textHits = db.$with("text_hits").as(
    db
      .select({ conversationId: messages.conversationId, id: messages.id, sentAt: messages.sentAt })
      .from(messages)
      .where(and(sql`${messages.numberId} = any(${sql.param(params.numberIds)}::uuid[])`, matchesText(params.terms))),
  );
  // Matched ids first (an init plan), then their rows by primary key: PostgreSQL cannot estimate how
  // few a number prefix or a rare word finds, and would otherwise scan every conversation to join
  // them. Named as the table, so that the list's columns read the page's rows.
  const page = db.$with("conversations").as(
    db
      .select()
      .from(conversations)
      .where(
        and(
          ...where,
          sql`${conversations.id} = any(array${searchConversationIds({ numberIds: params.numberIds, terms: params.terms, textHits: sql`${textHits}` })})`,
        ),
      )
      .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
      .limit(params.limit),
  );
  // The newest matching message of each of the page's conversations; the headline is drawn for it only.
  const hit = params.common
    ? { rows: newestMatchingMessage(conversations.id, params.terms), on: sql`true` }
    : {
        rows: sql`(select newest.id, newest.sent_at, newest.conversation_id, ${messages.direction} as direction,
            coalesce(${messages.editedBody}, ${messages.body}, '') as text
          from (select distinct on (conversation_id) conversation_id, id, sent_at from ${textHits}
            where conversation_id in (select ${conversations.id} from ${conversations})
            order by conversation_id, sent_at desc, id desc) newest
          join ${messages} on ${messages.id} = newest.id)`,
        on: sql`hit.conversation_id = ${conversations.id}`,
      };
  const rows = await db
    .with(textHits, page)
    .select(searchColumns(params.terms))
    .from(page)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .leftJoinLateral(sql`${hit.rows} hit`, hit.on)
    .leftJoin(users, eq(users.id, conversations.assigneeId))
    .orderBy(desc(conversations.lastMessageAt), desc(conversations.id));
  return rows.map(withMatch);
}

/**
 * A page of the search for a common word: the newest `within` conversations (of those the list's
 * conditions select) are walked in list order, each checked by its contact and by its own messages
 * newest first, until the page is full (for a common word, within a few dozen); each row comes with
 * its newest matching message, marked. May find fewer than a page.
 */
export async function listNewestMatchingConversations(db: Executor, params: ListParams & { terms: SearchTerms; within: number }) {
  if (params.numberIds.length === 0) return [];
  const { where } = listConditions(params, true);
  // Named as the table, so that the list's columns read the subquery's rows.
  const newest = db
    .select()
    .from(conversations)
    .where(and(...where))
    .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
    .limit(params.within)
    .as("conversations");
  const rows = await db
    .select(searchColumns(params.terms))
    .from(newest)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .leftJoinLateral(sql`${newestMatchingMessage(conversations.id, params.terms)} hit`, sql`true`)
    .leftJoin(users, eq(users.id, conversations.assigneeId))
    // The walked message first: a row it matched spares the name's text check.
    .where(sql`hit.id is not null or ${matchesContact(params.terms)}`)
    .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
    .limit(params.limit);
  return rows.map(withMatch);
}

export async function findConversation(db: Executor, id: string) {
  const [row] = await db
    .select(listColumns)
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .leftJoin(users, eq(users.id, conversations.assigneeId))
    .where(eq(conversations.id, id));
  return row ?? null;
}

/** Several conversations in the list's shape, in no particular order (live notices read them together). */
export async function listConversationsByIds(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select(listColumns)
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .leftJoin(users, eq(users.id, conversations.assigneeId))
    .where(inArray(conversations.id, ids));
}

export type ConversationSummary = Awaited<ReturnType<typeof listConversations>>[number];

/** Conversations with unread customer messages, per inbox view, across the given numbers. */
export async function countUnreadConversations(db: Executor, params: { numberIds: string[]; userId: string }) {
  if (params.numberIds.length === 0) return { all: 0, mine: 0, unassigned: 0 };
  const [row] = await db
    .select({
      all: sql<number>`count(*)::int`,
      mine: sql<number>`(count(*) filter (where ${conversations.assigneeId} = ${params.userId}))::int`,
      unassigned: sql<number>`(count(*) filter (where ${conversations.assigneeId} is null))::int`,
    })
    .from(conversations)
    .where(and(inArray(conversations.numberId, params.numberIds), sql`${conversations.unreadCount} > 0`));
  return row ?? { all: 0, mine: 0, unassigned: 0 };
}
