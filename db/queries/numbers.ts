import { and, count, desc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import {
  conversations,
  historySyncs,
  mediaAssets,
  numberAccess,
  numberEvents,
  numbers,
  syncRequests,
  webhookEvents,
} from "../schema";

export async function findNumberByPhoneNumberId(db: Executor, phoneNumberId: string) {
  const [row] = await db.select().from(numbers).where(eq(numbers.phoneNumberId, phoneNumberId));
  return row ?? null;
}

export async function findNumberById(db: Executor, id: string) {
  const [row] = await db.select().from(numbers).where(eq(numbers.id, id));
  return row ?? null;
}

/** Numbers a user may see: every number for admins, granted ones for agents. */
export async function listNumberIdsForUser(db: Executor, params: { userId: string; role: "admin" | "agent" }) {
  if (params.role === "admin") return (await db.select({ id: numbers.id }).from(numbers)).map((r) => r.id);
  const rows = await db.select({ id: numberAccess.numberId }).from(numberAccess).where(eq(numberAccess.userId, params.userId));
  return rows.map((r) => r.id);
}

/**
 * Whether an agent holds a grant on the number (or on the conversation's number), as a condition a
 * read can carry: it names no row of the read, so PostgreSQL checks it once before reading
 * anything, and the check costs the read no statement of its own.
 */
export const agentHoldsNumber = (userId: string, numberId: string) =>
  sql`exists (select 1 from ${numberAccess} where ${numberAccess.userId} = ${userId} and ${numberAccess.numberId} = ${numberId}::uuid)`;

export const agentHoldsNumberOf = (userId: string, conversationId: string) =>
  sql`exists (select 1 from ${conversations} join ${numberAccess} on ${numberAccess.numberId} = ${conversations.numberId}
    where ${conversations.id} = ${conversationId}::uuid and ${numberAccess.userId} = ${userId})`;

/** Public columns only: the encrypted token never leaves the server. */
export async function listNumbers(db: Executor, params: { ids: string[] }) {
  if (params.ids.length === 0) return [];
  return db
    .select({
      id: numbers.id,
      phoneNumberId: numbers.phoneNumberId,
      wabaId: numbers.wabaId,
      displayPhoneNumber: numbers.displayPhoneNumber,
      verifiedName: numbers.verifiedName,
      state: numbers.state,
      stateChangedAt: numbers.stateChangedAt,
      disconnectionReason: numbers.disconnectionReason,
      disconnectionInitiatedBy: numbers.disconnectionInitiatedBy,
      onboardedAt: numbers.onboardedAt,
      tokenInvalidAt: numbers.tokenInvalidAt,
      autoAssignOnReply: numbers.autoAssignOnReply,
      history: {
        state: historySyncs.state,
        maxProgress: historySyncs.maxProgress,
        phasesSeen: historySyncs.phasesSeen,
        chunksReceived: historySyncs.chunksReceived,
        messagesImported: historySyncs.messagesImported,
        conversationsImported: historySyncs.conversationsImported,
        error: historySyncs.error,
        lastEventAt: historySyncs.lastEventAt,
      },
    })
    .from(numbers)
    .leftJoin(historySyncs, eq(historySyncs.numberId, numbers.id))
    .where(inArray(numbers.id, params.ids))
    .orderBy(numbers.createdAt);
}

export type NumberSummary = Awaited<ReturnType<typeof listNumbers>>[number];

// The last-webhook lookup scans this many of the newest events at most, so it stays cheap on a large table.
const RECENT_WEBHOOK_SCAN = 10_000;

/**
 * The admin's view of every number: lifecycle, the current onboarding's sync requests, history
 * progress, contacts received since the contacts sync was requested, the newest webhook that named
 * the number, and its WABA's account_update history. No token.
 */
export async function listNumberOverview(db: Executor) {
  const rows = await listNumbers(db, { ids: (await db.select({ id: numbers.id }).from(numbers)).map((r) => r.id) });
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const requests = await db
    .select({
      numberId: syncRequests.numberId,
      kind: syncRequests.kind,
      state: syncRequests.state,
      requestId: syncRequests.requestId,
      errorCode: syncRequests.errorCode,
      errorMessage: syncRequests.errorMessage,
      requestedAt: syncRequests.requestedAt,
      answeredAt: syncRequests.answeredAt,
      onboardedAt: syncRequests.onboardedAt,
    })
    .from(syncRequests)
    .innerJoin(numbers, and(eq(numbers.id, syncRequests.numberId), eq(numbers.onboardedAt, syncRequests.onboardedAt)))
    .where(inArray(syncRequests.numberId, ids));
  const received = await db.execute<{ number_id: string; count: number }>(sql`
    select c.number_id, count(*)::int as count from contacts c
    join sync_requests r on r.number_id = c.number_id and r.kind = 'contacts'
    join numbers n on n.id = r.number_id and n.onboarded_at = r.onboarded_at
    where c.number_id in ${sql`(${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`}
      and c.address_book_updated_at is not null and c.updated_at >= r.requested_at
    group by c.number_id`);
  const lastWebhooks = await Promise.all(
    rows.map(async (r) => {
      const [row] = await db.execute<{ received_at: string }>(sql`
        select e.received_at from (select routing_keys, received_at from ${webhookEvents} order by id desc limit ${RECENT_WEBHOOK_SCAN}) e
        where e.routing_keys && array[${r.phoneNumberId}]::text[] order by e.received_at desc limit 1`);
      return [r.id, row ? new Date(row.received_at) : null] as const;
    }),
  );
  const events = await db
    .select({
      wabaId: numberEvents.wabaId,
      event: numberEvents.event,
      occurredAt: numberEvents.occurredAt,
      phoneNumber: numberEvents.phoneNumber,
      disconnectionReason: numberEvents.disconnectionReason,
      disconnectionInitiatedBy: numberEvents.disconnectionInitiatedBy,
    })
    .from(numberEvents)
    .where(inArray(numberEvents.wabaId, [...new Set(rows.map((r) => r.wabaId))]))
    .orderBy(desc(numberEvents.occurredAt))
    .limit(200);
  const failedMedia = await db
    .select({ numberId: mediaAssets.numberId, n: count() })
    .from(mediaAssets)
    .where(and(inArray(mediaAssets.numberId, ids), eq(mediaAssets.state, "failed")))
    .groupBy(mediaAssets.numberId);
  const lastWebhookOf = new Map(lastWebhooks);
  const receivedOf = new Map([...received].map((r) => [r.number_id, Number(r.count)]));
  return rows.map((r) => ({
    ...r,
    contactsSync: requests.find((q) => q.numberId === r.id && q.kind === "contacts") ?? null,
    historyRequest: requests.find((q) => q.numberId === r.id && q.kind === "history") ?? null,
    contactsReceived: receivedOf.get(r.id) ?? 0,
    lastWebhookAt: lastWebhookOf.get(r.id) ?? null,
    failedMediaDownloads: failedMedia.find((m) => m.numberId === r.id)?.n ?? 0,
    // Events name the display number when they concern one number; WABA-wide ones apply to all.
    events: events
      .filter((e) => e.wabaId === r.wabaId && (!e.phoneNumber || e.phoneNumber === r.displayPhoneNumber))
      .slice(0, 20),
  }));
}

export type NumberOverview = Awaited<ReturnType<typeof listNumberOverview>>[number];
