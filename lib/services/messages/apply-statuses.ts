import { sql } from "drizzle-orm";
import { type Executor, pipelined } from "@/db/client";
import { statusRank } from "@/db/queries/status-rank";
import { messageStatusEvents, messages } from "@/db/schema";
import { notifyChanges } from "@/lib/realtime/notify";
import type { MessageError } from "@/lib/whatsapp/webhook-payload";
import { lockMessageKeys } from "./lock-message-keys";

type Status = "sent" | "delivered" | "read" | "played" | "failed";
export type StatusUpdate = { wamid: string; status: Status; occurredAt: Date; error: MessageError | null };

/**
 * `applyStatus` for a batch of one number's statuses (without callback tags), in a few statements:
 * every status event is kept, and each message moves to its highest-ranked stored status, never
 * back, keeping the latest failure's error. Applied in any order, statuses end the same, so the
 * batch ends as the same statuses applied one by one.
 */
export async function applyStatuses(db: Executor, input: { numberId: string; statuses: StatusUpdate[] }) {
  const { numberId } = input;
  // One row per (wamid, status), as the upsert below would leave them one after another: the
  // first, or for failures the latest.
  const rows = new Map<string, StatusUpdate>();
  for (const s of input.statuses) {
    const key = `${s.wamid}\u0000${s.status}`;
    const kept = rows.get(key);
    if (!kept || (s.status === "failed" && s.occurredAt > kept.occurredAt)) rows.set(key, s);
  }
  const wamids = [...new Set(input.statuses.map((s) => s.wamid))];
  // The locks, the events and the messages' move in one round trip (`pipelined`: each statement
  // runs after the one before, so the update sees the events and what a lock holder committed).
  const [, , updated] = await pipelined(
    lockMessageKeys(db, numberId, wamids),
    db
      .insert(messageStatusEvents)
      .values([...rows.values()].map((s) => ({ numberId, ...s })))
      .onConflictDoUpdate({
        target: [messageStatusEvents.numberId, messageStatusEvents.wamid, messageStatusEvents.status],
        set: { error: sql`excluded.error`, occurredAt: sql`excluded.occurred_at` },
        setWhere: sql`excluded.status = 'failed' and excluded.occurred_at > ${messageStatusEvents.occurredAt}`,
      }),
    db.execute<{ id: string; conversation_id: string }>(sql`
    with best as (
      select distinct on (e.wamid) e.wamid, e.status,
        (select f.error from ${messageStatusEvents} f
          where f.number_id = e.number_id and f.wamid = e.wamid and f.status = 'failed' limit 1) as failure
      from ${messageStatusEvents} e
      where e.number_id = ${numberId} and e.wamid = any(${sql.param(wamids)}::text[])
      order by e.wamid, ${statusRank(sql`e.status`)} desc
    )
    update ${messages} m set
      status = best.status,
      error = coalesce(best.failure, case when m.status = 'unconfirmed' then null else m.error end)
    from best
    where m.number_id = ${numberId} and m.wamid = best.wamid
      and (${statusRank(sql`best.status`)} > ${statusRank(sql`m.status`)}
        or (m.status = 'failed' and best.status = 'failed' and m.error is distinct from best.failure))
    returning m.id, m.conversation_id`),
  );
  await notifyChanges(
    db,
    updated!.map((row) => ({ type: "message", numberId, conversationId: row.conversation_id, messageId: row.id })),
  );
}
