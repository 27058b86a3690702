import { and, eq, isNull, sql } from "drizzle-orm";
import { reserveSendSlot, takeSendSlot } from "@/db/queries/send-pacing";
import { contacts, conversations, type MessageError, messages, numbers } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto";
import { notifyChange } from "@/lib/realtime/notify";
import {
  GraphApiError,
  type GraphClient,
  GraphNotSentError,
  GraphUnknownOutcomeError,
  type OutboundMessage,
} from "@/lib/whatsapp/graph-client";
import { describeSendError } from "@/lib/whatsapp/send-errors";
import type { Ctx } from "../context";
import { windowRefusal } from "../conversations/window";
import { markTokenInvalid } from "../numbers/token-state";
import { applyStoredStatuses } from "./apply-status";
import { lockMessageKeys } from "./lock-message-keys";
import { enqueueNextSend, enqueueSend, findBlockingMessage } from "./send-queue";

/** Attempts after which a message that keeps hitting rate limits or an unreachable Meta fails visibly. */
export const MAX_SEND_ATTEMPTS = 10;
/** Meta: about one message per 6 s to the same user; short bursts borrow from later. */
export const RECIPIENT_INTERVAL_MS = 6_000;
export const RECIPIENT_BURST = 3;
/**
 * Slots are spaced 10% wider than 1/rate: Meta counts arrivals, and a send delayed on its way
 * (network, a busy worker) must not bunch up with the next ones into 21 within a second. At 20/s,
 * 21 slots span 1,100 ms, so a delay up to 100 ms stays under the limit (5% let busy workers reach 21).
 */
const THROUGHPUT_MARGIN = 1.1;
/** Longer waits for a pacing slot are rescheduled instead of holding a worker. */
const MAX_INLINE_WAIT_MS = 2_000;

// States in which a send waits for the number to come back instead of failing.
const PAUSING_STATES = new Set(["offboarded"]);
const ENDING_STATES = new Set(["disconnected", "uninstalled", "deleted"]);

export type DeliveryOutcome = (
  | { status: "skipped" | "held" | "paused" | "failed" | "unconfirmed" }
  | { status: "accepted"; wamid: string }
  | { status: "retry"; runAt: Date }
) & { numberId?: string };

/**
 * The worker's half of sending, one attempt. Before calling Meta it checks, in order: the number
 * can send, no earlier message of the conversation is still waiting (order), the window (free text
 * only), the recipient's pair limit and the number's throughput slot. Only errors that prove nothing
 * was sent are retried; an unknown outcome is never resent (the status webhook confirms it).
 */
export async function deliverMessage(args: {
  ctx: Ctx & { secret: string };
  input: { messageId: string; graph: GraphClient; now?: () => Date };
}): Promise<DeliveryOutcome> {
  let numberId: string | undefined;
  const outcome = await attemptDelivery(args, (id) => {
    numberId = id;
  });
  // The number names the outcome in the worker's metrics.
  return { ...outcome, numberId };
}

async function attemptDelivery(
  {
    ctx,
    input,
  }: {
    ctx: Ctx & { secret: string };
    input: { messageId: string; graph: GraphClient; now?: () => Date };
  },
  onNumber: (numberId: string) => void,
): Promise<DeliveryOutcome> {
  const now = input.now ?? (() => new Date());
  const [row] = await ctx.db
    .select({ message: messages, number: numbers, contact: contacts, conversation: conversations })
    .from(messages)
    .innerJoin(numbers, eq(numbers.id, messages.numberId))
    .innerJoin(contacts, eq(contacts.id, messages.contactId))
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(eq(messages.id, input.messageId));
  if (!row || row.message.wamid || row.message.status !== "queued") return { status: "skipped" };
  const { message, number, contact, conversation } = row;
  onNumber(number.id);
  const notice = { type: "message" as const, numberId: number.id, conversationId: message.conversationId, messageId: message.id };

  const fail = async (error: MessageError): Promise<DeliveryOutcome> => {
    await ctx.db.transaction(async (tx) => {
      await tx
        .update(messages)
        .set({ status: "failed", error })
        .where(and(eq(messages.id, message.id), isNull(messages.wamid)));
      await notifyChange(tx, notice);
    });
    return { status: "failed" };
  };

  if (ENDING_STATES.has(number.state)) return fail({ code: 0, title: `The number was ${number.state} before the message left.` });
  if (PAUSING_STATES.has(number.state) || number.tokenInvalidAt) return { status: "paused" };
  if (await findBlockingMessage(ctx.db, message)) return { status: "held" };
  if (message.type !== "template") {
    const refusal = windowRefusal(conversation, now());
    if (refusal) {
      const info = describeSendError(131047);
      return fail({ code: 131047, title: info.sentence, details: `Not sent from the queue: ${refusal}.` });
    }
  }
  if (!contact.waId && !contact.userId) return fail({ code: 0, title: "This contact has no WhatsApp id to send to." });

  const recipientSlot = await takeSendSlot(ctx.db, {
    key: `recipient:${number.id}:${contact.id}`,
    intervalMs: RECIPIENT_INTERVAL_MS,
    burst: RECIPIENT_BURST,
  });
  if (!recipientSlot.taken) return { status: "retry", runAt: await reschedule(ctx, message, recipientSlot.retryInMs) };
  const wait = await reserveSendSlot(ctx.db, {
    key: `number:${number.id}`,
    intervalMs: (1000 / number.sendRatePerSecond) * THROUGHPUT_MARGIN,
  });
  if (wait > MAX_INLINE_WAIT_MS) return { status: "retry", runAt: await reschedule(ctx, message, wait) };
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));

  await ctx.db
    .update(messages)
    .set({ sendAttempts: sql`${messages.sendAttempts} + 1` })
    .where(eq(messages.id, message.id));
  try {
    const { wamid } = await input.graph.sendMessage({
      phoneNumberId: number.phoneNumberId,
      token: decryptSecret(number.accessTokenEncrypted, ctx.secret),
      recipient: { waId: contact.waId, userId: contact.userId },
      message: { type: message.type, ...(message.content as Record<string, unknown>) } as OutboundMessage,
      replyToWamid: message.replyToWamid,
      tag: message.id,
    });
    await ctx.db.transaction(async (tx) => {
      await lockMessageKeys(tx, number.id, [wamid]);
      // A status carrying our tag may have attached the wamid already.
      await tx
        .update(messages)
        .set({ wamid })
        .where(and(eq(messages.id, message.id), isNull(messages.wamid)));
      await applyStoredStatuses(tx, { numberId: number.id, wamid });
      await enqueueNextSend(tx, message.conversationId);
      await notifyChange(tx, notice);
    });
    return { status: "accepted", wamid };
  } catch (error) {
    if (error instanceof GraphUnknownOutcomeError) {
      await ctx.db.transaction(async (tx) => {
        await tx
          .update(messages)
          .set({ status: "unconfirmed", error: { code: -1, title: "Sent? Confirming with WhatsApp", details: error.message } })
          .where(and(eq(messages.id, message.id), eq(messages.status, "queued"), isNull(messages.wamid)));
        // The message most likely left: the next one may follow it.
        await enqueueNextSend(tx, message.conversationId);
        await notifyChange(tx, notice);
      });
      return { status: "unconfirmed" };
    }
    const attempts = message.sendAttempts + 1;
    if (error instanceof GraphNotSentError) {
      if (attempts >= MAX_SEND_ATTEMPTS) return fail({ code: 0, title: "WhatsApp could not be reached", details: error.message });
      return { status: "retry", runAt: await reschedule(ctx, message, backoffMs(attempts, 1000)) };
    }
    if (!(error instanceof GraphApiError)) throw error;
    const info = describeSendError(error.code);
    if (error.hasCode(190)) {
      await markTokenInvalid(ctx.db, number.id);
      return { status: "paused" };
    }
    if (info.handling === "retry" && attempts < MAX_SEND_ATTEMPTS) {
      // Meta's pair-limit advice: back off 4^x seconds; throughput frees up within a second or two.
      const base = error.hasCode(131056) ? 4000 : 1000;
      return { status: "retry", runAt: await reschedule(ctx, message, backoffMs(attempts, base, error.hasCode(131056) ? 4 : 2)) };
    }
    if (error.hasCode(131047)) await closeWindow(ctx, conversation.id, now());
    return fail({ code: error.code, title: info.sentence, message: error.message, details: error.details });
  }
}

function backoffMs(attempts: number, baseMs: number, factor = 2) {
  return Math.min(baseMs * factor ** (attempts - 1), 5 * 60_000);
}

async function reschedule(ctx: Ctx, message: { id: string; conversationId: string }, inMs: number) {
  const runAt = new Date(Date.now() + inMs);
  await enqueueSend(ctx.db, message, runAt);
  return runAt;
}

/** Meta answered 131047: its view of the window wins until the customer writes again. */
export async function closeWindow(ctx: Ctx, conversationId: string, at: Date) {
  await ctx.db.update(conversations).set({ windowClosedAt: at }).where(eq(conversations.id, conversationId));
}
