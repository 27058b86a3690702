import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { conversations } from "@/db/schema";
import { notifyChange } from "@/lib/realtime/notify";

/** What alerts need to know about a conversation before a customer message changes it. */
export async function readActivityState(db: Executor, conversationId: string) {
  const [row] = await db
    .select({ assigneeId: conversations.assigneeId, lastMessageAt: conversations.lastMessageAt })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  return row ?? null;
}

/**
 * A live customer message, announced for alerts: a conversation that had no message before is
 * new; otherwise its assignee may want to know. History and echoes are never announced.
 */
export function announceCustomerMessage(
  db: Executor,
  input: { numberId: string; conversationId: string; before: Awaited<ReturnType<typeof readActivityState>> },
) {
  return notifyChange(db, {
    type: "activity",
    numberId: input.numberId,
    conversationId: input.conversationId,
    kind: input.before?.lastMessageAt ? "customer_message" : "new_conversation",
    assigneeId: input.before?.assigneeId ?? null,
    actorId: null,
  });
}
