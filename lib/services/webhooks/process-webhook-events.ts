import { and, eq, sql } from "drizzle-orm";
import { type Database, pipelined, type Sql, type TxSql, withSavepoint, withTransaction } from "@/db/client";
import { holdQueueWalk, releaseQueueWalk, selectPendingWebhookEvents, selectWebhookEventsById } from "@/db/queries/webhooks";
import { type FailedItem, webhookEvents } from "@/db/schema";
import { parseWebhookText, type WebhookEvent, type WebhookItem } from "@/lib/whatsapp/webhook-payload";
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
import { applyTemplateStatus } from "../templates/apply-template-status";
import { applyLiveItems } from "./apply-live-batch";
import { describeFailure, isTransient } from "./describe-failure";
import { findNumber, type NumberCache } from "./number-cache";

/** Webhooks can arrive before the number is connected in Tandem; they are kept and replayed later. */
export class UnknownNumberError extends Error {
  constructor(readonly phoneNumberId: string) {
    super(`No connected number has phone_number_id ${phoneNumberId}; the event is kept until it connects.`);
  }
}

async function applyEvent(tx: { db: Database; sql: TxSql }, e: WebhookEvent, cache: NumberCache) {
  if (e.kind === "ignored") return;
  if (e.kind === "template_status") return applyTemplateStatus(tx.db, { event: e });
  if (e.kind === "account_update") {
    cache.clear();
    return applyAccountUpdate(tx.db, { event: e });
  }
  const number = await findNumber(tx.db, e.phoneNumberId, cache);
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

/** Body size as received (stored, a history chunk compresses about 12x) above which an event is processed alone. */
const LARGE_EVENT_BYTES = 64 * 1024;

/** How often a transiently failing event is tried, and how long it waits in between. */
export type RetryPolicy = { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 60_000 };

/** Exponential backoff before the next try, after `attempts` tries. */
export const backoffMs = (policy: RetryPolicy, attempts: number) =>
  Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);

/** True when `a` and `b` name the same part of a body or one contains the other. */
function isRelated(a: string, b: string) {
  const within = (inner: string, outer: string) =>
    outer === "" || inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return within(a, b) || within(b, a);
}

class TransientFailure extends Error {
  constructor(readonly cause: unknown) {
    super(describeFailure(cause));
  }
}

type Tx = { db: Database; sql: TxSql };
type Stored = { id: number; body: Buffer; size: number; receivedAt: Date; failedItems: FailedItem[] | null };

/** The items of a stored body; a replay keeps only those related to the parts that failed before. */
function itemsOf(event: Stored): WebhookItem[] {
  const items = parseWebhookText(event.body.toString("utf8"), { receivedAt: event.receivedAt });
  const failed = event.failedItems;
  if (!failed?.length) return items;
  return items.filter((item) => failed.some((f) => isRelated(item.path, f.path)));
}

/**
 * Applies one event's items. The usual case (every item applies) costs one savepoint; when an
 * item fails, the event is rolled back and its items applied again each in a savepoint of its own,
 * so the good ones are kept and the failed ones are named with their path. A transient failure
 * rolls the whole event back for a later try.
 */
async function applyItems(tx: Tx, items: WebhookItem[], cache: NumberCache): Promise<FailedItem[]> {
  const invalid: FailedItem[] = items.flatMap((i) =>
    "invalid" in i ? [{ path: i.path, code: "invalid" as const, message: i.invalid }] : [],
  );
  const applicable = items.flatMap((i) => ("event" in i ? [i] : []));
  try {
    await withSavepoint(tx, async (sp) => {
      for (const item of applicable) await applyEvent(sp, item.event, cache);
    });
    return invalid;
  } catch (error) {
    if (isTransient(error)) throw new TransientFailure(error);
  }
  cache.clear();
  return withSavepoint(tx, async (eventSp) => {
    const failed = [...invalid];
    for (const item of applicable) {
      try {
        await withSavepoint(eventSp, (sp) => applyEvent(sp, item.event, cache));
      } catch (error) {
        if (isTransient(error)) throw new TransientFailure(error);
        failed.push({
          path: item.path,
          code: error instanceof UnknownNumberError ? "number_not_connected" : "apply_failed",
          message: describeFailure(error),
        });
      }
    }
    return failed.sort((a, b) => a.path.localeCompare(b.path, "en", { numeric: true }));
  });
}

type Parsed = { event: Stored & { attempts: number }; items: WebhookItem[] };

const summarise = (failed: FailedItem[]) =>
  failed.length === 1
    ? `${failed[0]!.path}: ${failed[0]!.message}`
    : `${failed.length} parts failed; first ${failed[0]!.path}: ${failed[0]!.message}`;

/**
 * Applies stored webhook events in one transaction, each in a savepoint: pending events in arrival
 * order (claimed with SKIP LOCKED, so several workers share the queue), or the given ids. Every
 * effect is keyed, so processing an event again (a replay, a redelivery with other bytes) changes
 * nothing. Each item of a body is applied on its own: the parts that fail are recorded on the event
 * with their path, where an admin can see and replay them; the rest is applied. A transient failure
 * is retried with backoff, and fails the event after `retry.maxAttempts` tries.
 */
export async function processWebhookEvents({
  ctx,
  input,
}: {
  ctx: Ctx & { sql: Sql };
  input: {
    eventIds?: number[];
    /** With eventIds: skip those no longer pending (another worker took them, or they were failed). */
    pendingOnly?: boolean;
    limit?: number;
    retry?: RetryPolicy;
    /** Told which events the batch holds, before applying them. */
    onClaim?: (eventIds: number[]) => void;
  };
}) {
  const retry = input.retry ?? DEFAULT_RETRY;
  return withTransaction(ctx.sql, async (tx) => {
    // Safe to lose in a crash: the raw event was committed durably and stays pending until this
    // commits, so it is processed again. Not waiting for the disk multiplies throughput. Sent with
    // the claim, in the same round trip.
    const syncOff = tx.db.execute(sql`set local synchronous_commit = off`);
    let events: (Stored & { attempts: number })[];
    if (input.eventIds) {
      const [, byId] = await pipelined(
        syncOff,
        selectWebhookEventsById(tx.db, { ids: input.eventIds, pendingOnly: input.pendingOnly }),
      );
      events = byId!;
    } else {
      // A large event (a history chunk) is a batch of its own, so other loops take the next ones
      // in parallel; small live events are applied many to a transaction.
      const [, held, claimed] = await pipelined(
        syncOff,
        holdQueueWalk(tx.db),
        selectPendingWebhookEvents(tx.db, { limit: 1, afterId: 0 }),
      );
      events = claimed!;
      const settings = held![0]!;
      const first = events[0];
      if (first && first.size < LARGE_EVENT_BYTES) {
        const next = selectPendingWebhookEvents(tx.db, { limit: (input.limit ?? 50) - 1, afterId: first.id });
        const [more] = await pipelined(next, releaseQueueWalk(tx.db, settings));
        events.push(...more!);
      } else await releaseQueueWalk(tx.db, settings);
    }

    input.onClaim?.(events.map((e) => e.id));

    const numberCache: NumberCache = new Map();
    const outcome = {
      processed: [] as number[],
      failed: [] as { id: number; error: string; items: FailedItem[] }[],
      retry: [] as { id: number; error: string; attempts: number }[],
      notes: [] as { id: number; message: string }[],
    };
    const parsed: Parsed[] = [];
    for (const event of events) {
      try {
        parsed.push({ event, items: itemsOf(event) });
      } catch (error) {
        const failed: FailedItem[] = [{ path: "", code: "invalid", message: describeFailure(error) }];
        outcome.failed.push({ id: event.id, error: summarise(failed), items: failed });
      }
    }
    const applied = await applyLiveItems(tx, parsed, numberCache);
    for (const { event, items } of parsed) {
      if (applied.has(event.id)) {
        outcome.processed.push(event.id);
        continue;
      }
      for (const item of items) {
        if ("event" in item && item.event.kind === "account_update" && item.event.timeFromReceipt)
          outcome.notes.push({
            id: event.id,
            message: `account_update ${item.event.event} has no entry.time; using the receipt time`,
          });
      }
      try {
        const failed = await applyItems(tx, items, numberCache);
        if (failed.length) outcome.failed.push({ id: event.id, error: summarise(failed), items: failed });
        else outcome.processed.push(event.id);
      } catch (error) {
        if (!(error instanceof TransientFailure)) throw error;
        const attempts = event.attempts + 1;
        if (attempts >= retry.maxAttempts) {
          const failed: FailedItem[] = [
            { path: "", code: "apply_failed", message: `gave up after ${attempts} attempts: ${error.message}` },
          ];
          outcome.failed.push({ id: event.id, error: failed[0]!.message, items: event.failedItems ?? failed });
        } else outcome.retry.push({ id: event.id, error: error.message, attempts });
      }
    }

    const attempt = { attempts: sql`${webhookEvents.attempts} + 1`, nextAttemptAt: null };
    if (outcome.processed.length) {
      await tx.db
        .update(webhookEvents)
        .set({ ...attempt, status: "processed", processedAt: sql`now()`, error: null, failedItems: null })
        .where(sql`${webhookEvents.id} = any(${sql.param(outcome.processed)}::bigint[])`);
    }
    for (const failure of outcome.failed) {
      await tx.db
        .update(webhookEvents)
        .set({ ...attempt, status: "failed", error: failure.error, failedItems: failure.items })
        .where(eq(webhookEvents.id, failure.id));
    }
    for (const later of outcome.retry) {
      await tx.db
        .update(webhookEvents)
        .set({
          attempts: later.attempts,
          error: later.error,
          nextAttemptAt: sql`now() + ${backoffMs(retry, later.attempts)} * interval '1 millisecond'`,
        })
        .where(eq(webhookEvents.id, later.id));
    }
    return { claimed: events.length, ...outcome };
  });
}

/**
 * Counts a try of an event whose batch failed as a whole (a lost connection, a bug outside the
 * savepoints), in its own statement: retried with backoff, failed after `retry.maxAttempts`.
 */
export async function recordFailedAttempt({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { eventId: number; error: unknown; retry?: RetryPolicy };
}) {
  const retry = input.retry ?? DEFAULT_RETRY;
  const message = describeFailure(input.error);
  const attempts = sql`${webhookEvents.attempts} + 1`;
  await ctx.db
    .update(webhookEvents)
    .set({
      attempts,
      error: message,
      status: sql`case when ${attempts} >= ${retry.maxAttempts} then 'failed'::webhook_event_status else ${webhookEvents.status} end`,
      failedItems: sql`case when ${attempts} >= ${retry.maxAttempts}
        then coalesce(${webhookEvents.failedItems}, ${JSON.stringify([{ path: "", code: "apply_failed", message }])}::jsonb)
        else ${webhookEvents.failedItems} end`,
      nextAttemptAt: sql`now() + least(${retry.baseDelayMs}::float8 * power(2, ${webhookEvents.attempts}), ${retry.maxDelayMs}) * interval '1 millisecond'`,
    })
    .where(and(eq(webhookEvents.id, input.eventId), eq(webhookEvents.status, "pending")));
}
