import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { historySyncs } from "@/db/schema";
import { notifyChange } from "@/lib/realtime/notify";
import type { MessageError } from "@/lib/whatsapp/webhook-payload";

/** Business declined to share history in the WhatsApp Business app. */
export const HISTORY_DECLINED_CODE = 2593109;

/**
 * Adds a chunk's figures to the number's history sync. Chunks arrive out of order, so progress is
 * the maximum seen; 100 means complete. A declined or failed sync stays terminal.
 */
export async function recordHistoryProgress(
  db: Executor,
  input: { numberId: string; phase: number; progress: number; messages: number; conversations: number },
) {
  const done = input.progress >= 100;
  await db
    .insert(historySyncs)
    .values({
      numberId: input.numberId,
      state: done ? "complete" : "receiving",
      maxProgress: input.progress,
      phasesSeen: [input.phase],
      chunksReceived: 1,
      messagesImported: input.messages,
      conversationsImported: input.conversations,
      lastEventAt: sql`now()`,
      completedAt: done ? sql`now()` : null,
    })
    .onConflictDoUpdate({
      target: historySyncs.numberId,
      set: {
        maxProgress: sql`greatest(${historySyncs.maxProgress}, excluded.max_progress)`,
        state: sql`case when ${historySyncs.state} in ('declined', 'failed') then ${historySyncs.state}
          when greatest(${historySyncs.maxProgress}, excluded.max_progress) >= 100 then 'complete'::history_sync_state
          else 'receiving'::history_sync_state end`,
        phasesSeen: sql`(select array_agg(distinct p order by p) from unnest(${historySyncs.phasesSeen} || excluded.phases_seen) p)`,
        chunksReceived: sql`${historySyncs.chunksReceived} + 1`,
        messagesImported: sql`${historySyncs.messagesImported} + excluded.messages_imported`,
        conversationsImported: sql`${historySyncs.conversationsImported} + excluded.conversations_imported`,
        lastEventAt: sql`now()`,
        completedAt: sql`coalesce(${historySyncs.completedAt}, excluded.completed_at)`,
      },
    });
}

/** The history webhook carried an error instead of chunks: declined (2593109) or failed. */
export async function recordHistoryError(db: Executor, input: { numberId: string; error: MessageError }) {
  const state = input.error.code === HISTORY_DECLINED_CODE ? "declined" : "failed";
  await db
    .insert(historySyncs)
    .values({ numberId: input.numberId, state, error: input.error, lastEventAt: sql`now()` })
    .onConflictDoUpdate({ target: historySyncs.numberId, set: { state, error: input.error, lastEventAt: sql`now()` } });
  await notifyChange(db, { type: "number", numberId: input.numberId });
}
