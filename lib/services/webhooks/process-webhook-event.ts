import { eq, sql } from "drizzle-orm";
import { findNumberByPhoneNumberId } from "@/db/queries/numbers";
import { webhookEvents } from "@/db/schema";
import { parseWebhook } from "@/lib/whatsapp/webhook-payload";
import type { Ctx } from "../context";
import { applyStatus } from "../messages/apply-status";
import { recordInboundMessage } from "../messages/record-inbound-message";

/**
 * Applies one stored webhook. Every effect is keyed, so processing the same event again (a replay,
 * or a redelivery with other bytes) changes nothing. A failure is recorded on the event, where an admin can see it and replay it.
 */
export async function processWebhookEvent({ ctx, input }: { ctx: Ctx; input: { eventId: number } }) {
  const [event] = await ctx.db.select().from(webhookEvents).where(eq(webhookEvents.id, input.eventId));
  if (!event || event.status === "processed") return { status: "skipped" as const };

  try {
    await ctx.db.transaction(async (tx) => {
      const events = parseWebhook(JSON.parse(event.body.toString("utf8")));
      for (const e of events) {
        if (e.kind === "ignored") continue;
        const number = await findNumberByPhoneNumberId(tx, e.phoneNumberId);
        if (!number) throw new UnknownNumberError(e.phoneNumberId);
        if (e.kind === "message") {
          await recordInboundMessage(tx, { number, contact: e.contact, message: e.message });
        } else if (e.kind === "status") {
          await applyStatus(tx, {
            numberId: number.id,
            wamid: e.wamid,
            status: e.status,
            occurredAt: e.occurredAt,
            error: e.error,
          });
        }
      }
      await tx
        .update(webhookEvents)
        .set({ status: "processed", processedAt: sql`now()`, error: null, attempts: sql`${webhookEvents.attempts} + 1` })
        .where(eq(webhookEvents.id, event.id));
    });
    return { status: "processed" as const };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await ctx.db
      .update(webhookEvents)
      .set({ status: "failed", error: message, attempts: sql`${webhookEvents.attempts} + 1` })
      .where(eq(webhookEvents.id, event.id));
    // Transient failures (a deadlock, a lost connection) are retried by the job runner; a number
    // that is not connected yet waits for a replay instead.
    if (!(error instanceof UnknownNumberError)) throw error;
    return { status: "failed" as const, error: message };
  }
}

/** Webhooks can arrive before the number is connected in Tandem; they are kept and replayed later. */
export class UnknownNumberError extends Error {
  constructor(readonly phoneNumberId: string) {
    super(`No connected number has phone_number_id ${phoneNumberId}; the event is kept until it connects.`);
  }
}
