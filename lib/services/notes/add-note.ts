import { and, eq } from "drizzle-orm";
import { listNumberMembers } from "@/db/queries/users";
import { mentions, messages } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { notifyChange } from "@/lib/realtime/notify";
import type { Ctx, UserActor } from "../context";
import { getConversation } from "../conversations/get-conversation";
import { MAX_TEXT_LENGTH } from "../messages/send-message";
import { findMentionedMembers } from "./mentioned-members";

/**
 * A private note of the team in a conversation's thread. It never goes to WhatsApp (no wamid, no
 * send job) and is not a reply: the window, unread count and list preview stay as they were.
 * Members of the number it names as `@Name` get a mention, announced live and kept until read.
 */
export async function addNote({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: { conversationId: string; clientKey: string; text: string };
}) {
  const text = input.text.trim();
  if (!text) throw new AppError("VALIDATION", "The note is empty.");
  if (text.length > MAX_TEXT_LENGTH) throw new AppError("VALIDATION", `A note has at most ${MAX_TEXT_LENGTH} characters.`);
  const conversation = await getConversation({ ctx, input });

  return ctx.db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: messages.id, conversationId: messages.conversationId })
      .from(messages)
      .where(and(eq(messages.numberId, conversation.numberId), eq(messages.clientKey, input.clientKey)));
    if (existing) {
      if (existing.conversationId !== conversation.id)
        throw new AppError("CONFLICT", "This idempotency key was used for another conversation.");
      return { messageId: existing.id, duplicate: true, mentionedIds: [] as string[] };
    }
    const [note] = await tx
      .insert(messages)
      .values({
        numberId: conversation.numberId,
        conversationId: conversation.id,
        contactId: conversation.contact.id,
        direction: "outbound",
        origin: "note",
        type: "text",
        body: text,
        status: "sent",
        authorUserId: ctx.actor.userId,
        clientKey: input.clientKey,
        sentAt: new Date(),
      })
      .returning({ id: messages.id });
    if (!note) throw new Error("insert returned no row");

    const members = await listNumberMembers(tx, { numberId: conversation.numberId });
    const mentioned = findMentionedMembers(text, members).filter((m) => m.id !== ctx.actor.userId);
    if (mentioned.length > 0) {
      await tx.insert(mentions).values(
        mentioned.map((m) => ({
          messageId: note.id,
          userId: m.id,
          numberId: conversation.numberId,
          conversationId: conversation.id,
        })),
      );
    }
    const ids = { numberId: conversation.numberId, conversationId: conversation.id };
    await notifyChange(tx, { type: "message", ...ids, messageId: note.id });
    if (mentioned.length > 0) {
      await notifyChange(tx, {
        type: "activity",
        ...ids,
        kind: "mention",
        assigneeId: conversation.assigneeId,
        actorId: ctx.actor.userId,
        mentionedIds: mentioned.map((m) => m.id),
      });
    }
    return { messageId: note.id, duplicate: false, mentionedIds: mentioned.map((m) => m.id) };
  });
}
