import { listMessages, listThreadMessagesByIds, type ThreadMessage } from "@/db/queries/messages";
import { agentHoldsNumberOf } from "@/db/queries/numbers";
import type { Ctx, UserActor } from "../context";
import { getConversation } from "../conversations/get-conversation";

/** What is left of a message a customer or the phone deleted: that it existed, when, and by whom. */
const withoutDeletedText = (m: ThreadMessage): ThreadMessage =>
  m.deletedAt ? { ...m, body: null, content: null, editedBody: null, editHistory: null, media: null } : m;

/**
 * One page of a thread the user may see, newest first. A deleted message's original text and
 * media stay in the audit trail for admins only; agents get the bare "deleted" bubble.
 */
export async function listThreadMessages({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: { conversationId: string; before?: { sentAt: Date; id: string }; limit: number };
}) {
  // The agent's grant is a condition of the read; only an empty page asks whether the
  // conversation exists for this user (NOT_FOUND otherwise).
  const rows = await listMessages(ctx.db, {
    conversationId: input.conversationId,
    before: input.before,
    limit: input.limit + 1,
    onlyIf: ctx.actor.role === "admin" ? undefined : agentHoldsNumberOf(ctx.actor.userId, input.conversationId),
  });
  if (rows.length === 0) await getConversation({ ctx, input: { conversationId: input.conversationId } });
  const page = rows.slice(0, input.limit);
  const isAdmin = ctx.actor.role === "admin";
  const last = page.at(-1);
  return {
    messages: isAdmin ? page : page.map(withoutDeletedText),
    nextCursor: rows.length > input.limit && last ? `${last.sentAt.toISOString()}|${last.id}` : null,
  };
}

/**
 * One message as its thread shows this user, for an answer that lets the page redraw that bubble
 * alone. The caller has checked the user's access to its conversation.
 */
export async function threadMessageFor(ctx: Ctx & { actor: UserActor }, messageId: string): Promise<ThreadMessage | null> {
  const [message] = await listThreadMessagesByIds(ctx.db, [messageId]);
  if (!message) return null;
  return ctx.actor.role === "admin" ? message : withoutDeletedText(message);
}
