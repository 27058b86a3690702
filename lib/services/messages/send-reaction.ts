import { eq, sql } from "drizzle-orm";
import { messageReactions, messages } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { notifyChange } from "@/lib/realtime/notify";
import type { Ctx, UserActor } from "../context";
import { threadMessageFor } from "./list-thread-messages";
import { queueOutbound } from "./send-message";

/** One emoji (with its modifiers and joiners); Meta refuses anything longer. */
const MAX_EMOJI_LENGTH = 16;

/**
 * An agent reacts to a message of the thread (an empty emoji removes the business's reaction). It is
 * an outbound `reaction` message through the queue like any send, so the window, order and pacing
 * apply; the bubble shows it at once as the business's latest reaction. The answer carries the
 * reacted message as its thread shows it, so the page redraws that bubble without a refetch.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/reaction-messages
 */
export async function sendReaction({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: { messageId: string; clientKey: string; emoji: string };
}) {
  const emoji = input.emoji.trim();
  if (emoji.length > MAX_EMOJI_LENGTH || /\s/.test(emoji)) throw new AppError("VALIDATION", "A reaction is a single emoji.");
  const [target] = await ctx.db
    .select({ id: messages.id, conversationId: messages.conversationId, wamid: messages.wamid, deletedAt: messages.deletedAt })
    .from(messages)
    .where(eq(messages.id, input.messageId));
  // Access is checked by queueOutbound; an unknown message and one of another number look alike.
  if (!target) throw new AppError("NOT_FOUND", "This message does not exist.");
  if (!target.wamid || target.deletedAt)
    throw new AppError("CONFLICT", "Only a message WhatsApp has, and that was not deleted, can get a reaction.");
  const wamid = target.wamid;
  const queued = await queueOutbound({
    ctx,
    input: {
      conversationId: target.conversationId,
      clientKey: input.clientKey,
      replyToWamid: null,
      draft: {
        type: "reaction",
        origin: "agent",
        body: null,
        content: { reaction: { message_id: wamid, emoji } },
        needsWindow: true,
        preview: emoji ? `You reacted ${emoji}` : "You removed a reaction",
      },
      onQueued: async (tx, message) => {
        await tx
          .insert(messageReactions)
          .values({ numberId: message.numberId, targetWamid: wamid, reactor: "business", emoji, reactedAt: new Date() })
          .onConflictDoUpdate({
            target: [messageReactions.numberId, messageReactions.targetWamid, messageReactions.reactor],
            set: { emoji: sql`excluded.emoji`, reactedAt: sql`excluded.reacted_at` },
          });
        await notifyChange(tx, {
          type: "message",
          numberId: message.numberId,
          conversationId: target.conversationId,
          messageId: target.id,
        });
      },
    },
  });
  return { ...queued, target: await threadMessageFor(ctx, target.id) };
}
