import type { Executor } from "@/db/client";
import { messages } from "@/db/schema";
import { notifyChange } from "@/lib/realtime/notify";
import { queueMediaDownload } from "../media/queue-media-download";
import { applyStoredStatuses } from "./apply-status";
import { lockMessageKeys } from "./lock-message-keys";
import { applyMessageChanges } from "./message-changes";

/**
 * Inserts a message once per wamid. A new message picks up what arrived before it (edits,
 * revokes, media follow-ups, statuses), gets its media queued for download, and is announced.
 * Returns null for a duplicate; `isDeleted` when a revoke was waiting for it.
 */
export async function storeMessage(db: Executor, values: typeof messages.$inferInsert & { wamid: string }) {
  await lockMessageKeys(db, values.numberId, [values.wamid]);
  const [inserted] = await db.insert(messages).values(values).onConflictDoNothing().returning({ id: messages.id });
  if (!inserted) return null;
  const { isDeleted } = await applyMessageChanges(db, { numberId: values.numberId, wamid: values.wamid });
  if (values.direction === "outbound") await applyStoredStatuses(db, { numberId: values.numberId, wamid: values.wamid });
  await queueMediaDownload(db, {
    numberId: values.numberId,
    messageId: inserted.id,
    message: { type: values.type, ...(values.content as Record<string, unknown>) },
  });
  await notifyChange(db, {
    type: "message",
    numberId: values.numberId,
    conversationId: values.conversationId,
    messageId: inserted.id,
  });
  return { id: inserted.id, isDeleted };
}
