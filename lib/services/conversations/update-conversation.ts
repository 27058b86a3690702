import { and, eq } from "drizzle-orm";
import { conversations, users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { notifyChange } from "@/lib/realtime/notify";
import type { Ctx, UserActor } from "../context";
import { assertCanAccessNumber } from "../numbers/access";
import { getConversation } from "./get-conversation";

/** Sets a conversation's status and/or assignee (an active user who can see its number, or nobody). */
export async function updateConversation({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: { conversationId: string; status?: "open" | "pending" | "resolved"; assigneeId?: string | null };
}) {
  const conversation = await getConversation({ ctx, input });
  if (input.assigneeId) {
    const [assignee] = await ctx.db
      .select()
      .from(users)
      .where(and(eq(users.id, input.assigneeId), eq(users.isActive, true)));
    if (!assignee) throw new AppError("VALIDATION", "The assignee is not an active user.");
    await assertCanAccessNumber(
      { ...ctx, actor: { kind: "user", userId: assignee.id, role: assignee.role, name: assignee.name } },
      conversation.numberId,
    ).catch(() => {
      throw new AppError("VALIDATION", `${assignee.name} cannot see this number.`);
    });
  }
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(conversations)
      .set({
        ...(input.status ? { status: input.status } : {}),
        ...(input.assigneeId !== undefined ? { assigneeId: input.assigneeId } : {}),
      })
      .where(eq(conversations.id, conversation.id));
    await notifyChange(tx, { type: "conversation", numberId: conversation.numberId, conversationId: conversation.id });
    if (input.assigneeId && input.assigneeId !== conversation.assigneeId) {
      await notifyChange(tx, {
        type: "activity",
        numberId: conversation.numberId,
        conversationId: conversation.id,
        kind: "assigned",
        assigneeId: input.assigneeId,
        actorId: ctx.actor.userId,
      });
    }
  });
  return getConversation({ ctx, input });
}
