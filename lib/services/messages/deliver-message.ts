import { eq } from "drizzle-orm";
import { contacts, messages, numbers } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto";
import { notifyChange } from "@/lib/realtime/notify";
import { GraphApiError, type GraphClient } from "@/lib/whatsapp/graph-client";
import type { Ctx } from "../context";
import { SEND_BLOCKING_STATES } from "../numbers/apply-account-update";
import { applyStoredStatuses } from "./apply-status";
import { lockMessageKeys } from "./lock-message-keys";

/** Graph errors worth retrying: throughput (130429), pair rate limit (131056), app call limit (4), server errors. */
const RETRYABLE_CODES = new Set([4, 80007, 130429, 131056, 131057]);

export function isRetryable(error: unknown) {
  if (!(error instanceof GraphApiError)) return true; // network failure or timeout
  return error.httpStatus >= 500 || [...RETRYABLE_CODES].some((code) => error.hasCode(code));
}

/**
 * The worker's half of sending: calls Meta once for a queued message, stores the wamid, and applies
 * any status webhook that arrived before the response. Permanent Graph errors fail the message with
 * Meta's code; retryable ones are thrown so the job runner backs off and tries again.
 */
export async function deliverMessage({
  ctx,
  input,
}: {
  ctx: Ctx & { secret: string };
  input: { messageId: string; graph: GraphClient; isLastAttempt?: boolean };
}) {
  const [row] = await ctx.db
    .select({ message: messages, number: numbers, contact: contacts })
    .from(messages)
    .innerJoin(numbers, eq(numbers.id, messages.numberId))
    .innerJoin(contacts, eq(contacts.id, messages.contactId))
    .where(eq(messages.id, input.messageId));
  if (!row || row.message.wamid || row.message.status !== "queued") return { status: "skipped" as const };
  const { message, number, contact } = row;
  const notice = { type: "message" as const, numberId: number.id, conversationId: message.conversationId, messageId: message.id };

  const fail = async (error: { code: number; title?: string; message?: string; details?: string }) => {
    await ctx.db.transaction(async (tx) => {
      await tx.update(messages).set({ status: "failed", error }).where(eq(messages.id, message.id));
      await notifyChange(tx, notice);
    });
    return { status: "failed" as const, phoneNumberId: number.phoneNumberId };
  };

  const to = contact.waId ?? contact.userId;
  if (!to) return fail({ code: 0, title: "This contact has no WhatsApp id to send to." });
  if (SEND_BLOCKING_STATES.has(number.state))
    return fail({ code: 0, title: `The number was ${number.state} before the message left.` });

  try {
    const { wamid } = await input.graph.sendMessage({
      phoneNumberId: number.phoneNumberId,
      token: decryptSecret(number.accessTokenEncrypted, ctx.secret),
      to,
      message: { type: "text", text: { body: message.body ?? "", preview_url: false } },
      replyToWamid: message.replyToWamid,
    });
    await ctx.db.transaction(async (tx) => {
      await lockMessageKeys(tx, number.id, [wamid]);
      await tx.update(messages).set({ wamid }).where(eq(messages.id, message.id));
      await applyStoredStatuses(tx, { numberId: number.id, wamid });
      await notifyChange(tx, notice);
    });
    return { status: "accepted" as const, wamid, phoneNumberId: number.phoneNumberId };
  } catch (error) {
    // The last attempt fails the message visibly instead of leaving it queued for ever.
    if (isRetryable(error) && !input.isLastAttempt) throw error;
    if (error instanceof GraphApiError) return fail({ code: error.code, title: error.message, details: error.details });
    return fail({
      code: 0,
      title: "WhatsApp could not be reached",
      details: error instanceof Error ? error.message : String(error),
    });
  }
}
