import { eq, type SQL, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { conversations } from "@/db/schema";

/**
 * Whether a message at `at` is the conversation's newest. WhatsApp's timestamps have whole seconds
 * while Tandem's own sends carry milliseconds, so within one second the later arrival wins (a
 * customer tapping a template's button in the second it was sent is shown as the newest).
 */
export const isNewestAt = (at: SQL) =>
  sql`(${conversations.lastMessageAt} is null or date_trunc('second', ${conversations.lastMessageAt}) <= ${at})`;

/** A customer is waiting again: a resolved, pending or snoozed conversation is open once more. */
export const reopenedStatus = sql`case when ${conversations.status} in ('resolved', 'pending', 'snoozed') then 'open'::conversation_status else ${conversations.status} end`;

/**
 * Moves a conversation's "last message" forward when a message is newer than what it shows.
 * Only `customerActivity` (a live customer message after onboarding) counts as unread, renews the
 * 24-hour window and moves a resolved, pending or snoozed conversation back to open (the customer is waiting
 * again); echoes, agent replies and history never do.
 */
export async function touchConversation(
  db: Executor,
  input: {
    conversationId: string;
    at: Date;
    preview: string;
    direction: "inbound" | "outbound";
    customerActivity: boolean;
    countsUnread?: boolean;
  },
) {
  const at = sql`${input.at.toISOString()}::timestamptz`;
  const isNewest = isNewestAt(at);
  await db
    .update(conversations)
    .set({
      lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${at})`,
      lastMessagePreview: sql`case when ${isNewest} then ${input.preview} else ${conversations.lastMessagePreview} end`,
      lastMessageDirection: sql`case when ${isNewest} then ${input.direction} else ${conversations.lastMessageDirection} end`,
      ...(input.customerActivity
        ? {
            lastCustomerMessageAt: sql`greatest(${conversations.lastCustomerMessageAt}, ${at})`,
            status: reopenedStatus,
            snoozedUntil: null,
          }
        : {}),
      ...((input.countsUnread ?? input.customerActivity) ? { unreadCount: sql`${conversations.unreadCount} + 1` } : {}),
    })
    .where(eq(conversations.id, input.conversationId));
}

/**
 * A customer's live reaction or edit: the window of the conversation holding the message it targets
 * runs from it, with no new bubble, preview or unread. A target not stored yet renews nothing (an
 * edit renews it when its original arrives); one from before the number's onboarding never does.
 */
export async function renewWindow(db: Executor, input: { numberId: string; targetWamid: string; at: Date }) {
  const at = sql`${input.at.toISOString()}::timestamptz`;
  await db
    .update(conversations)
    .set({ lastCustomerMessageAt: sql`greatest(${conversations.lastCustomerMessageAt}, ${at})` })
    .where(
      sql`${conversations.id} = (select m.conversation_id from messages m where m.number_id = ${input.numberId} and m.wamid = ${input.targetWamid})
        and ${at} >= (select n.onboarded_at from numbers n where n.id = ${input.numberId})`,
    );
}

/**
 * A customer's live reaction may arrive before the message it targets: once that message is stored,
 * the window runs from the reaction, as it would have in order (edits do the same where they are
 * applied, in applyMessageChanges).
 */
export async function renewWindowFromEarlierReaction(db: Executor, input: { numberId: string; wamid: string }) {
  const [row] = await db.execute<{ at: Date | string | null }>(sql`select r.reacted_at as at from message_reactions r
      where r.number_id = ${input.numberId} and r.target_wamid = ${input.wamid} and r.reactor = 'customer'`);
  if (row?.at) await renewWindow(db, { numberId: input.numberId, targetWamid: input.wamid, at: new Date(row.at) });
}
