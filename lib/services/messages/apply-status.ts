import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { statusRank } from "@/db/queries/status-rank";
import { messageStatusEvents, messages } from "@/db/schema";
import { notifyChange } from "@/lib/realtime/notify";
import type { MessageError } from "@/lib/whatsapp/webhook-payload";
import { lockMessageKeys } from "./lock-message-keys";

type Status = "sent" | "delivered" | "read" | "played" | "failed";

/**
 * Records a status webhook and moves the message forward if it exists. The event row is kept, so a
 * status that arrives before its message (or before the send call returns) applies later through
 * `applyStoredStatuses`.
 */
export async function applyStatus(
  db: Executor,
  input: { numberId: string; wamid: string; status: Status; occurredAt: Date; error: MessageError | null },
) {
  await lockMessageKeys(db, input.numberId, [input.wamid]);
  await db
    .insert(messageStatusEvents)
    .values({
      numberId: input.numberId,
      wamid: input.wamid,
      status: input.status,
      error: input.error,
      occurredAt: input.occurredAt,
    })
    .onConflictDoUpdate({
      target: [messageStatusEvents.numberId, messageStatusEvents.wamid, messageStatusEvents.status],
      // A later failure (a retry that failed again) replaces the earlier one's error; others change nothing.
      set: { error: sql`excluded.error`, occurredAt: sql`excluded.occurred_at` },
      setWhere: sql`excluded.status = 'failed' and excluded.occurred_at > ${messageStatusEvents.occurredAt}`,
    });
  await applyStoredStatuses(db, { numberId: input.numberId, wamid: input.wamid });
}

/** Sets the message to its highest-ranked stored status, never downgrading; keeps the latest failure's error. */
export async function applyStoredStatuses(db: Executor, input: { numberId: string; wamid: string }) {
  const best = db
    .select({ status: messageStatusEvents.status })
    .from(messageStatusEvents)
    .where(and(eq(messageStatusEvents.numberId, input.numberId), eq(messageStatusEvents.wamid, input.wamid)))
    .orderBy(sql`${statusRank(sql`${messageStatusEvents.status}`)} desc`)
    .limit(1);
  const failure = db
    .select({ error: messageStatusEvents.error })
    .from(messageStatusEvents)
    .where(
      and(
        eq(messageStatusEvents.numberId, input.numberId),
        eq(messageStatusEvents.wamid, input.wamid),
        eq(messageStatusEvents.status, "failed"),
      ),
    )
    .limit(1);
  const updated = await db
    .update(messages)
    .set({
      status: sql`(${best})`,
      error: sql`coalesce((${failure}), ${messages.error})`,
    })
    .where(
      and(
        eq(messages.numberId, input.numberId),
        eq(messages.wamid, input.wamid),
        sql`(${statusRank(sql`(${best})`)} > ${statusRank(sql`${messages.status}`)}
          or (${messages.status} = 'failed' and (${best}) = 'failed' and ${messages.error} is distinct from (${failure})))`,
      ),
    )
    .returning({ id: messages.id, conversationId: messages.conversationId });
  for (const row of updated) {
    await notifyChange(db, { type: "message", numberId: input.numberId, conversationId: row.conversationId, messageId: row.id });
  }
  return updated.length > 0;
}
