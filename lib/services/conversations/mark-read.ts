import { eq } from "drizzle-orm";
import { conversations } from "@/db/schema";
import { notifyChange } from "@/lib/realtime/notify";
import type { Ctx, UserActor } from "../context";
import { getConversation } from "./get-conversation";

export async function markConversationRead({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: { conversationId: string };
}) {
  const conversation = await getConversation({ ctx, input });
  if (conversation.unreadCount === 0) return;
  await ctx.db.transaction(async (tx) => {
    await tx.update(conversations).set({ unreadCount: 0 }).where(eq(conversations.id, conversation.id));
    await notifyChange(tx, { type: "conversation", numberId: conversation.numberId, conversationId: conversation.id });
  });
}
