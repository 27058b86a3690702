import { eq } from "drizzle-orm";
import { markMentionsRead } from "@/db/queries/mentions";
import { conversations } from "@/db/schema";
import { notifyChange } from "@/lib/realtime/notify";
import type { Ctx, UserActor } from "../context";
import { getConversation } from "./get-conversation";

/** Opening a conversation reads its customer messages for everyone, and the reader's own mentions in it. */
export async function markConversationRead({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: { conversationId: string };
}) {
  const conversation = await getConversation({ ctx, input });
  const mentionsRead = await markMentionsRead(ctx.db, { userId: ctx.actor.userId, conversationId: conversation.id });
  if (conversation.unreadCount === 0) return { mentionsRead };
  await ctx.db.transaction(async (tx) => {
    await tx.update(conversations).set({ unreadCount: 0 }).where(eq(conversations.id, conversation.id));
    await notifyChange(tx, { type: "conversation", numberId: conversation.numberId, conversationId: conversation.id });
  });
  return { mentionsRead };
}
