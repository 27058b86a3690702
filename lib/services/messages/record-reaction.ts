import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { messageReactions, messages } from "@/db/schema";
import { notifyChange } from "@/lib/realtime/notify";
import type { WaMessage } from "@/lib/whatsapp/webhook-payload";

/**
 * Keeps the latest reaction of one side to a message (an empty emoji removes it). Reactions are not
 * bubbles of their own; a reaction that arrives before its message shows once the message exists.
 */
export async function recordReaction(
  db: Executor,
  input: { numberId: string; reactor: "customer" | "business"; message: WaMessage },
) {
  const reaction = input.message.reaction as { message_id?: string; emoji?: string } | undefined;
  if (!reaction?.message_id) return;
  const at = input.message.timestamp;
  await db
    .insert(messageReactions)
    .values({
      numberId: input.numberId,
      targetWamid: reaction.message_id,
      reactor: input.reactor,
      emoji: reaction.emoji ?? "",
      reactedAt: at,
    })
    .onConflictDoUpdate({
      target: [messageReactions.numberId, messageReactions.targetWamid, messageReactions.reactor],
      set: { emoji: sql`excluded.emoji`, reactedAt: sql`excluded.reacted_at` },
      // Out-of-order delivery: an older reaction never replaces a newer one.
      setWhere: sql`${messageReactions.reactedAt} <= excluded.reacted_at`,
    });
  const [target] = await db
    .select({ id: messages.id, conversationId: messages.conversationId })
    .from(messages)
    .where(and(eq(messages.numberId, input.numberId), eq(messages.wamid, reaction.message_id)));
  if (target)
    await notifyChange(db, {
      type: "message",
      numberId: input.numberId,
      conversationId: target.conversationId,
      messageId: target.id,
    });
}
