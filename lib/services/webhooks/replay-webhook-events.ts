import { and, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { webhookEvents } from "@/db/schema";
import { AppError } from "@/lib/errors";

import type { Ctx } from "../context";
import { wakeWebhookProcessors } from "./webhook-queue";

/** The admin page's lists: failed events still to deal with, dismissed ones, pending and processed. */
export type WebhookEventFilter = "failed" | "dismissed" | "pending" | "processed";

const filterOf = (filter: WebhookEventFilter) =>
  filter === "failed"
    ? and(eq(webhookEvents.status, "failed"), isNull(webhookEvents.dismissedAt))
    : filter === "dismissed"
      ? and(eq(webhookEvents.status, "failed"), isNotNull(webhookEvents.dismissedAt))
      : eq(webhookEvents.status, filter);

/** Webhook events with their error and failed parts, newest first, for the admin page. */
export async function listWebhookEvents({ ctx, input }: { ctx: Ctx; input: { status: WebhookEventFilter; limit: number } }) {
  return ctx.db
    .select({
      id: webhookEvents.id,
      status: webhookEvents.status,
      error: webhookEvents.error,
      failedItems: webhookEvents.failedItems,
      attempts: webhookEvents.attempts,
      nextAttemptAt: webhookEvents.nextAttemptAt,
      dismissedAt: webhookEvents.dismissedAt,
      routingKeys: webhookEvents.routingKeys,
      receivedAt: webhookEvents.receivedAt,
      processedAt: webhookEvents.processedAt,
      byteSize: sql<number>`octet_length(${webhookEvents.body})`.mapWith(Number),
    })
    .from(webhookEvents)
    .where(filterOf(input.status))
    .orderBy(desc(webhookEvents.id))
    .limit(input.limit);
}

/** Bodies above this are shown cut; Meta's own limit is 3 MB. */
const PAYLOAD_VIEW_BYTES = 256 * 1024;

/** The raw body of one event as Meta sent it (the exact signed bytes), for an admin to read. */
export async function getWebhookEventPayload({ ctx, input }: { ctx: Ctx; input: { eventId: number } }) {
  const [event] = await ctx.db
    .select({
      head: sql<Buffer>`substring(${webhookEvents.body} from 1 for ${PAYLOAD_VIEW_BYTES})`,
      byteSize: sql<number>`octet_length(${webhookEvents.body})`.mapWith(Number),
    })
    .from(webhookEvents)
    .where(eq(webhookEvents.id, input.eventId));
  if (!event) throw new AppError("NOT_FOUND", "This webhook event does not exist.");
  return {
    eventId: input.eventId,
    byteSize: event.byteSize,
    truncated: event.byteSize > PAYLOAD_VIEW_BYTES,
    body: Buffer.from(event.head).toString("utf8"),
  };
}

const requeue = { status: "pending" as const, nextAttemptAt: null, dismissedAt: null };

/**
 * Queues an event for processing again. Every effect of processing is keyed, so replaying an event
 * that was already applied changes nothing; a failed event applies only its failed parts again.
 */
export async function replayWebhookEvent({ ctx, input }: { ctx: Ctx; input: { eventId: number } }) {
  const [event] = await ctx.db
    .update(webhookEvents)
    .set(requeue)
    .where(eq(webhookEvents.id, input.eventId))
    .returning({ id: webhookEvents.id });
  if (!event) throw new AppError("NOT_FOUND", "This webhook event does not exist.");
  wakeWebhookProcessors(ctx.db);
  return { eventId: event.id, status: "pending" as const };
}

/** Queues every failed event that is not dismissed. */
export async function replayFailedWebhookEvents({ ctx }: { ctx: Ctx }) {
  const rows = await ctx.db.update(webhookEvents).set(requeue).where(filterOf("failed")).returning({ id: webhookEvents.id });
  if (rows.length) wakeWebhookProcessors(ctx.db);
  return { replayed: rows.length };
}

/** Sets a failed event aside: it leaves the failed list and stays stored, and can still be replayed. */
export async function dismissWebhookEvent({ ctx, input }: { ctx: Ctx; input: { eventId: number } }) {
  const [event] = await ctx.db
    .select({ status: webhookEvents.status })
    .from(webhookEvents)
    .where(eq(webhookEvents.id, input.eventId));
  if (!event) throw new AppError("NOT_FOUND", "This webhook event does not exist.");
  if (event.status !== "failed") throw new AppError("CONFLICT", "Only a failed event can be dismissed.");
  await ctx.db
    .update(webhookEvents)
    .set({ dismissedAt: sql`coalesce(${webhookEvents.dismissedAt}, now())` })
    .where(eq(webhookEvents.id, input.eventId));
  return { eventId: input.eventId, dismissed: true };
}

/**
 * When a number connects, events with parts that failed because it was not connected yet are
 * replayed; events that failed for any other reason stay failed.
 */
export async function replayEventsForNumber({ ctx, input }: { ctx: Ctx; input: { phoneNumberId: string; wabaId: string } }) {
  const rows = await ctx.db
    .update(webhookEvents)
    .set(requeue)
    .where(
      and(
        eq(webhookEvents.status, "failed"),
        sql`${webhookEvents.failedItems} @> '[{"code":"number_not_connected"}]'::jsonb`,
        sql`${webhookEvents.routingKeys} && ${sql`array[${input.phoneNumberId}, ${input.wabaId}]::text[]`}`,
      ),
    )
    .returning({ id: webhookEvents.id });
  if (rows.length) wakeWebhookProcessors(ctx.db);
  return rows.length;
}
