import { and, desc, eq, sql } from "drizzle-orm";
import { webhookEvents } from "@/db/schema";
import { AppError } from "@/lib/errors";

import type { Ctx } from "../context";
import { wakeWebhookProcessors } from "./webhook-queue";

/** Failed (or still pending) webhook events with their error, newest first, for the admin page. */
export async function listWebhookEvents({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { status: "failed" | "pending" | "processed"; limit: number };
}) {
  return ctx.db
    .select({
      id: webhookEvents.id,
      status: webhookEvents.status,
      error: webhookEvents.error,
      attempts: webhookEvents.attempts,
      routingKeys: webhookEvents.routingKeys,
      receivedAt: webhookEvents.receivedAt,
      processedAt: webhookEvents.processedAt,
      byteSize: sql<number>`octet_length(${webhookEvents.body})`.mapWith(Number),
    })
    .from(webhookEvents)
    .where(eq(webhookEvents.status, input.status))
    .orderBy(desc(webhookEvents.id))
    .limit(input.limit);
}

/**
 * Queues an event for processing again. Every effect of processing is keyed, so replaying an event
 * that was already applied changes nothing.
 */
export async function replayWebhookEvent({ ctx, input }: { ctx: Ctx; input: { eventId: number } }) {
  const [event] = await ctx.db
    .update(webhookEvents)
    .set({ status: "pending" })
    .where(eq(webhookEvents.id, input.eventId))
    .returning({ id: webhookEvents.id });
  if (!event) throw new AppError("NOT_FOUND", "This webhook event does not exist.");
  wakeWebhookProcessors(ctx.db);
  return { eventId: event.id, status: "pending" as const };
}

/** When a number connects, events that arrived before it (and failed for that reason) are replayed. */
export async function replayEventsForNumber({ ctx, input }: { ctx: Ctx; input: { phoneNumberId: string; wabaId: string } }) {
  const rows = await ctx.db
    .update(webhookEvents)
    .set({ status: "pending" })
    .where(
      and(
        eq(webhookEvents.status, "failed"),
        sql`${webhookEvents.routingKeys} && ${sql`array[${input.phoneNumberId}, ${input.wabaId}]::text[]`}`,
      ),
    )
    .returning({ id: webhookEvents.id });
  if (rows.length) wakeWebhookProcessors(ctx.db);
  return rows.length;
}
