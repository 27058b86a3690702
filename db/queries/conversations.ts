import { and, desc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { contacts, conversationLabels, type conversationStatus, conversations, type MessageError, users } from "../schema";
import { newestMatchingConversationIds, type SearchTerms, searchConversationIds } from "./search";

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
  // The newest message's error when it failed, so the row says why (by the thread's index, one row).
  lastFailure: sql<MessageError | null>`(select case when m.status = 'failed' then coalesce(m.error, '{"code":0}'::jsonb) end
    from messages m where m.conversation_id = ${conversations.id}
    order by m.sent_at desc nulls first, m.id desc nulls first limit 1)`,
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

/**
 * One page of a number's conversation list, newest activity first, keyset-paginated. A search with
 * `within` only looks at that many of the newest conversations (and may find fewer than a page).
 */
export async function listConversations(
  db: Executor,
  params: {
    numberIds: string[];
    view: ConversationView;
    userId: string;
    status?: ConversationStatus;
    labelId?: string;
    /** closing: the window closes within 2 hours; closed: no open window (never opened, expired, or 131047). */
    window?: "closing" | "closed";
    search?: { terms: SearchTerms; within?: number };
    cursor?: { lastMessageAt: Date; id: string };
    limit: number;
    /** A condition on the reader rather than the rows (an access check), checked once. */
    onlyIf?: SQL;
  },
) {
  if (params.numberIds.length === 0) return [];
  const search = params.search;
  // A label marks few conversations: its rows carry their conversation's number and list order
  // (kept by triggers, migration 0019), so its page walks the label's own index in list order
  // rather than the whole list with a probe of the label on each row.
  const labelled = params.labelId && !search ? params.labelId : undefined;
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
  if (search?.within) {
    const ids = newestMatchingConversationIds({
      where: and(...where)!,
      within: search.within,
      limit: params.limit,
      terms: search.terms,
    });
    where.push(sql`${conversations.id} in ${ids}`);
  } else if (search) {
    // Matched ids first (an init plan), then their rows by primary key: PostgreSQL cannot estimate how
    // few a number prefix or a rare word finds, and would otherwise scan every conversation to join them.
    where.push(
      sql`${conversations.id} = any(array${searchConversationIds({ numberIds: params.numberIds, terms: search.terms })})`,
    );
  }
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
