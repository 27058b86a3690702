import { and, eq, isNull } from "drizzle-orm";
import { messages } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { notifyChange } from "@/lib/realtime/notify";
import type { Ctx, UserActor } from "../context";
import { assertCanAccessNumber } from "../numbers/access";
import { threadMessageFor } from "./list-thread-messages";
import { enqueueNextSend, QUEUED_ORIGINS } from "./send-queue";

/**
 * An agent's answer to a failed send that never reached WhatsApp (no wamid): `retry` queues the same
 * message again (its later messages keep waiting behind it), `discard` deletes it and lets them go.
 * A message WhatsApp accepted and then failed is kept as a record: it is not retried from here.
 * A retry answers with the message as queued again, so the page redraws that bubble alone.
 */
export async function settleFailedMessage({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: { messageId: string; action: "retry" | "discard" };
}) {
  return ctx.db.transaction(async (tx) => {
    const [message] = await tx.select().from(messages).where(eq(messages.id, input.messageId)).for("update");
    if (!message) throw new AppError("NOT_FOUND", "This message does not exist.");
    await assertCanAccessNumber({ ...ctx, db: tx }, message.numberId, "NOT_FOUND");
    if (message.status !== "failed" || message.wamid || !(QUEUED_ORIGINS as readonly string[]).includes(message.origin))
      throw new AppError("CONFLICT", "Only a failed message that never reached WhatsApp can be retried or discarded.");
    const where = and(eq(messages.id, message.id), isNull(messages.wamid));
    if (input.action === "discard") await tx.delete(messages).where(where);
    else await tx.update(messages).set({ status: "queued", error: null, sendAttempts: 0 }).where(where);
    // The oldest waiting message of the conversation goes next: this one again, or the one behind it.
    await enqueueNextSend(tx, message.conversationId);
    await notifyChange(tx, {
      type: "message",
      numberId: message.numberId,
      conversationId: message.conversationId,
      messageId: message.id,
    });
    if (input.action === "discard") return { messageId: message.id, status: "discarded" as const, message: null };
    return { messageId: message.id, status: "queued" as const, message: await threadMessageFor({ ...ctx, db: tx }, message.id) };
  });
}
