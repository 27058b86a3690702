import { and, eq, gt, inArray, ne, sql } from "drizzle-orm";
import { type Database, type Sql, type TxSql, withSavepoint, withTransaction } from "@/db/client";
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

type NumberRow = NonNullable<Awaited<ReturnType<typeof findNumberByPhoneNumberId>>>;

/** Numbers looked up once per batch; a lifecycle event empties it, since it may change a number. */
type NumberCache = Map<string, NumberRow>;

async function applyEvent(tx: { db: Database; sql: TxSql }, e: WebhookEvent, cache: NumberCache) {
  if (e.kind === "ignored") return;
  if (e.kind === "account_update") {
    cache.clear();
    return applyAccountUpdate(tx.db, { event: e });
  }
  const number = cache.get(e.phoneNumberId) ?? (await findNumberByPhoneNumberId(tx.db, e.phoneNumberId));
  if (number) cache.set(e.phoneNumberId, number);
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
        tag: e.tag,
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

/** Stored size above which an event is processed alone. */
const LARGE_EVENT_BYTES = 64 * 1024;

/** Lock and serialisation failures: the event stays pending and is tried again. */
const TRANSIENT_CODES = new Set(["40P01", "40001", "55P03"]);
const isTransient = (error: unknown) =>
  TRANSIENT_CODES.has((error as { code?: string })?.code ?? (error as { cause?: { code?: string } })?.cause?.code ?? "");

/**
 * Applies stored webhook events in one transaction, each in a savepoint: pending events in arrival
 * order (claimed with SKIP LOCKED, so several workers share the queue), or the given ids. Every
 * effect is keyed, so processing an event again (a replay, a redelivery with other bytes) changes
 * nothing. A failure is recorded on the event, where an admin can see and replay it.
 */
export async function processWebhookEvents({
  ctx,
  input,
}: {
  ctx: Ctx & { sql: Sql };
  input: { eventIds?: number[]; limit?: number };
}) {
  return withTransaction(ctx.sql, async (tx) => {
    // Safe to lose in a crash: the raw event was committed durably and stays pending until this
    // commits, so it is processed again. Not waiting for the disk multiplies throughput.
    await tx.sql`set local synchronous_commit = off`;
    const columns = { id: webhookEvents.id, body: webhookEvents.body, size: sql<number>`pg_column_size(${webhookEvents.body})` };
    const claimPending = (limit: number, afterId = 0) =>
      tx.db
        .select(columns)
        .from(webhookEvents)
        .where(and(eq(webhookEvents.status, "pending"), gt(webhookEvents.id, afterId)))
        .orderBy(webhookEvents.id)
        .limit(limit)
        .for("update", { skipLocked: true });
    let events: { id: number; body: Buffer; size: number }[];
    if (input.eventIds) {
      events = await tx.db
        .select(columns)
        .from(webhookEvents)
        .where(and(inArray(webhookEvents.id, input.eventIds), ne(webhookEvents.status, "processed")))
        .orderBy(webhookEvents.id)
        .for("update");
    } else {
      // A large event (a history chunk) is a batch of its own, so other loops take the next ones
      // in parallel; small live events are applied many to a transaction.
      events = await claimPending(1);
      const first = events[0];
      if (first && first.size < LARGE_EVENT_BYTES) events.push(...(await claimPending((input.limit ?? 50) - 1, first.id)));
    }

    const numberCache: NumberCache = new Map();
    const outcome = { processed: [] as number[], failed: [] as { id: number; error: string }[], retry: [] as number[] };
    for (const event of events) {
      try {
        await withSavepoint(tx, async (sp) => {
          for (const e of parseWebhook(JSON.parse(event.body.toString("utf8")))) await applyEvent(sp, e, numberCache);
        });
        outcome.processed.push(event.id);
      } catch (error) {
        if (isTransient(error)) outcome.retry.push(event.id);
        else outcome.failed.push({ id: event.id, error: error instanceof Error ? error.message : String(error) });
      }
    }
    const attempt = { attempts: sql`${webhookEvents.attempts} + 1` };
    if (outcome.processed.length) {
      await tx.db
        .update(webhookEvents)
        .set({ ...attempt, status: "processed", processedAt: sql`now()`, error: null })
        .where(inArray(webhookEvents.id, outcome.processed));
    }
    for (const failure of outcome.failed) {
      await tx.db
        .update(webhookEvents)
        .set({ ...attempt, status: "failed", error: failure.error })
        .where(eq(webhookEvents.id, failure.id));
    }
    if (outcome.retry.length) await tx.db.update(webhookEvents).set(attempt).where(inArray(webhookEvents.id, outcome.retry));
    return { claimed: events.length, ...outcome };
  });
}
