import { eq, sql } from "drizzle-orm";
import { type Database, type Sql, type TxSql, withTransaction } from "@/db/client";
import { findNumberByPhoneNumberId } from "@/db/queries/numbers";
import { webhookEvents } from "@/db/schema";
import { parseWebhook, type WebhookEvent } from "@/lib/whatsapp/webhook-payload";
import { applyContactSync } from "../contacts/apply-contact-sync";
import type { Ctx } from "../context";
import { importHistoryChunk } from "../history/import-history-chunk";
import { recordHistoryError } from "../history/record-history-progress";
import { applyStatus } from "../messages/apply-status";
import { recordMessageChange } from "../messages/message-changes";
import { bodyOf } from "../messages/message-content";
import { recordCustomerMessage } from "../messages/record-customer-message";
import { recordEcho } from "../messages/record-echo";
import { applyAccountUpdate } from "../numbers/apply-account-update";

/** Webhooks can arrive before the number is connected in Tandem; they are kept and replayed later. */
export class UnknownNumberError extends Error {
  constructor(readonly phoneNumberId: string) {
    super(`No connected number has phone_number_id ${phoneNumberId}; the event is kept until it connects.`);
  }
}

async function applyEvent(tx: { db: Database; sql: TxSql }, e: WebhookEvent) {
  if (e.kind === "ignored") return;
  if (e.kind === "account_update") return applyAccountUpdate(tx.db, { event: e });
  const number = await findNumberByPhoneNumberId(tx.db, e.phoneNumberId);
  if (!number) throw new UnknownNumberError(e.phoneNumberId);
  switch (e.kind) {
    case "message":
      return recordCustomerMessage(tx.db, { number, contact: e.contact, message: e.message });
    case "echo":
      return recordEcho(tx.db, { number, contact: e.contact, message: e.message });
    case "status":
      return applyStatus(tx.db, {
        numberId: number.id,
        wamid: e.wamid,
        status: e.status,
        occurredAt: e.occurredAt,
        error: e.error,
      });
    case "history_chunk":
      return importHistoryChunk(tx, { number, chunk: e });
    case "history_media":
      // Fills the earlier media_placeholder with the same id, whichever arrives first.
      return recordMessageChange(tx.db, {
        numberId: number.id,
        changeId: e.message.id,
        kind: "media",
        targetWamid: e.message.id,
        actor: e.direction === "inbound" ? "customer" : "phone",
        content: {
          type: e.message.type,
          body: bodyOf(e.message),
          content: (e.message as Record<string, unknown>)[e.message.type] ?? null,
        },
        occurredAt: e.message.timestamp,
      });
    case "history_error":
      return recordHistoryError(tx.db, { numberId: number.id, error: e.error });
    case "contact_sync":
      return applyContactSync(tx.db, { numberId: number.id, event: e });
  }
}

/**
 * Applies one stored webhook in one transaction. Every effect is keyed, so processing the same
 * event again (a replay, or a redelivery with other bytes) changes nothing. A failure is recorded
 * on the event, where an admin can see it and replay it.
 */
export async function processWebhookEvent({ ctx, input }: { ctx: Ctx & { sql: Sql }; input: { eventId: number } }) {
  const [event] = await ctx.db.select().from(webhookEvents).where(eq(webhookEvents.id, input.eventId));
  if (!event || event.status === "processed") return { status: "skipped" as const };

  try {
    await withTransaction(ctx.sql, async (tx) => {
      const events = parseWebhook(JSON.parse(event.body.toString("utf8")));
      for (const e of events) await applyEvent(tx, e);
      await tx.db
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
