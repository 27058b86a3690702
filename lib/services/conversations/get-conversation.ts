import { findConversation } from "@/db/queries/conversations";
import { AppError } from "@/lib/errors";
import type { Ctx, UserActor } from "../context";
import { assertCanAccessNumber } from "../numbers/access";

/** A conversation the acting user may see; NOT_FOUND otherwise (no hint that it exists). */
export async function getConversation({ ctx, input }: { ctx: Ctx & { actor: UserActor }; input: { conversationId: string } }) {
  const conversation = await findConversation(ctx.db, input.conversationId);
  if (!conversation) throw new AppError("NOT_FOUND", "This conversation does not exist.");
  await assertCanAccessNumber(ctx, conversation.numberId, "NOT_FOUND");
  return conversation;
}
