import { and, eq, isNull, sql } from "drizzle-orm";
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
  input: { numberId: string; wamid: string; status: Status; occurredAt: Date; error: MessageError | null; tag?: string | null },
) {
  await lockMessageKeys(db, input.numberId, [input.wamid]);
  if (input.tag) await attachTaggedWamid(db, { numberId: input.numberId, wamid: input.wamid, tag: input.tag });
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
      // An unconfirmed send's "confirming" note goes once WhatsApp reports on it.
      error: sql`coalesce((${failure}), case when ${messages.status} = 'unconfirmed' then null else ${messages.error} end)`,
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

/**
 * A status carrying biz_opaque_callback_data names the Tandem message it belongs to: this is how a
 * send whose answer was lost (unconfirmed) learns its wamid. Only a message still without one.
 */
async function attachTaggedWamid(db: Executor, input: { numberId: string; wamid: string; tag: string }) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.tag)) return;
  await db
    .update(messages)
    .set({ wamid: input.wamid })
    .where(
      and(
        eq(messages.id, input.tag),
        eq(messages.numberId, input.numberId),
        isNull(messages.wamid),
        sql`not exists (select 1 from messages m where m.number_id = ${input.numberId} and m.wamid = ${input.wamid})`,
      ),
    );
}
