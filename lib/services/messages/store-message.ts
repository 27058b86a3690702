import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { messages } from "@/db/schema";
import { notifyChange } from "@/lib/realtime/notify";
import { queueMediaDownload } from "../media/queue-media-download";
import { applyStoredStatuses } from "./apply-status";
import { lockMessageKeys } from "./lock-message-keys";
import { applyMessageChanges } from "./message-changes";

/**
 * A stored row a live message with the same wamid replaces: an imported history copy (the history
 * snapshot can reach past onboarding), or WhatsApp's "not available yet" placeholder (131060)
 * whose real content arrives later under the same id.
 */
const isReplaceable = sql`${messages.direction} = excluded.direction and excluded.type <> 'unsupported'
  and ((${messages.origin} = 'history' and excluded.origin <> 'history') or ${messages.type} = 'unsupported')`;

/** A new message, or the upgrade of a replaceable row with the same wamid (see above). */
export const messageUpsert = {
  target: [messages.numberId, messages.wamid],
  set: {
    origin: sql`excluded.origin`,
    type: sql`excluded.type`,
    body: sql`excluded.body`,
    content: sql`excluded.content`,
    replyToWamid: sql`coalesce(excluded.reply_to_wamid, ${messages.replyToWamid})`,
    // An imported outbound copy may already know it was delivered or read: never go back.
    status: sql`case when ${messages.direction} = 'outbound' and ${messages.origin} = 'history' then ${messages.status} else excluded.status end`,
  },
  setWhere: isReplaceable,
};

/**
 * Inserts a message once per wamid, or upgrades a replaceable row (see above) to it. A new or
 * upgraded message picks up what arrived before it (edits, revokes, media follow-ups, statuses),
 * gets its media queued for download, and is announced. Returns null for a duplicate, so the
 * caller applies live effects (unread, window, preview) exactly once; `isDeleted` when a revoke
 * was waiting for it.
 */
export async function storeMessage(db: Executor, values: typeof messages.$inferInsert & { wamid: string }) {
  await lockMessageKeys(db, values.numberId, [values.wamid]);
  const [stored] = await db
    .insert(messages)
    .values(values)
    .onConflictDoUpdate(messageUpsert)
    .returning({ id: messages.id, conversationId: messages.conversationId });
  if (!stored) return null;
  const { isDeleted } = await applyMessageChanges(db, { numberId: values.numberId, wamid: values.wamid });
  if (values.direction === "outbound") await applyStoredStatuses(db, { numberId: values.numberId, wamid: values.wamid });
  await queueMediaDownload(db, {
    numberId: values.numberId,
    messageId: stored.id,
    message: { type: values.type, ...(values.content as Record<string, unknown>) },
  });
  await notifyChange(db, {
    type: "message",
    numberId: values.numberId,
    conversationId: stored.conversationId,
    messageId: stored.id,
  });
  return { id: stored.id, isDeleted };
}
