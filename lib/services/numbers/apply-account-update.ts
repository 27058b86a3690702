import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { numberEvents, numbers } from "@/db/schema";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { notifyChange } from "@/lib/realtime/notify";
import type { WebhookEvent } from "@/lib/whatsapp/webhook-payload";
import { failNumberSends, resumeNumberSends } from "../messages/send-queue";

type AccountUpdate = Extract<WebhookEvent, { kind: "account_update" }>;
type NumberState = (typeof numbers.$inferSelect)["state"];

/**
 * What each lifecycle event means for a coexistence number. Events absent here (PARTNER_ADDED, ...)
 * are recorded in the history without changing the state.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/account_update
 */
const STATE_BY_EVENT: Record<string, NumberState> = {
  PARTNER_APP_INSTALLED: "connected",
  ACCOUNT_RECONNECTED: "connected",
  ACCOUNT_OFFBOARDED: "offboarded",
  PARTNER_REMOVED: "disconnected",
  PARTNER_APP_UNINSTALLED: "uninstalled",
  ACCOUNT_DELETED: "deleted",
  ACCOUNT_RESTRICTION: "restricted",
  ACCOUNT_VIOLATION: "restricted",
  DISABLED_UPDATE: "restricted",
};

/** States in which Tandem refuses to send: Meta would reject the message or the token is dead. */
export const SEND_BLOCKING_STATES: ReadonlySet<NumberState> = new Set(["offboarded", "disconnected", "uninstalled", "deleted"]);

/**
 * Records an `account_update` once (WABA, event, time) and moves the state of the WABA's numbers,
 * fenced by time: a delayed or duplicated older event never overwrites a newer state. Numbers are
 * matched by WABA id, and by display number when Meta names one.
 */
export async function applyAccountUpdate(db: Executor, input: { event: AccountUpdate }) {
  const { event } = input;
  const [recorded] = await db
    .insert(numberEvents)
    .values({
      wabaId: event.wabaId,
      event: event.event,
      occurredAt: event.occurredAt,
      phoneNumber: event.phoneNumber,
      disconnectionReason: event.disconnection?.reason ?? null,
      disconnectionInitiatedBy: event.disconnection?.initiatedBy ?? null,
    })
    .onConflictDoNothing()
    .returning({ id: numberEvents.id });
  if (!recorded) return;

  const state = STATE_BY_EVENT[event.event];
  const targets = await db
    .select({ id: numbers.id })
    .from(numbers)
    .where(
      and(eq(numbers.wabaId, event.wabaId), event.phoneNumber ? eq(numbers.displayPhoneNumber, event.phoneNumber) : undefined),
    );
  for (const target of targets) {
    if (state) {
      const [moved] = await db
        .update(numbers)
        .set({
          state,
          stateChangedAt: event.occurredAt,
          disconnectionReason: event.disconnection?.reason ?? null,
          disconnectionInitiatedBy: event.disconnection?.initiatedBy ?? null,
        })
        .where(
          and(
            eq(numbers.id, target.id),
            sql`(${numbers.stateChangedAt} is null or ${numbers.stateChangedAt} <= ${event.occurredAt.toISOString()}::timestamptz)`,
          ),
        )
        .returning({ id: numbers.id });
      if (moved) await settleQueuedSends(db, target.id, state);
    }
    await notifyChange(db, { type: "number", numberId: target.id });
  }
}

/**
 * Replies queued while a number was offboarded wait (their jobs find it paused); reconnecting
 * resumes them, and a number that ends disconnected, uninstalled or deleted fails them visibly.
 */
async function settleQueuedSends(db: Executor, numberId: string, state: NumberState) {
  if (state === "connected") {
    await resumeNumberSends(db, numberId);
    // A (re)connected number lists its templates from Meta, so the picker is ready before it is needed.
    await enqueueJob(db, "sync-templates", { numberId }, { jobKey: `sync-templates:${numberId}`, maxAttempts: 3 });
    return;
  }
  if (state !== "disconnected" && state !== "uninstalled" && state !== "deleted") return;
  const failed = await failNumberSends(db, numberId, {
    code: 0,
    title: `The number was ${state} before the message left.`,
    details: "Reconnect the number, then send the message again.",
  });
  for (const message of failed)
    await notifyChange(db, { type: "message", numberId, conversationId: message.conversationId, messageId: message.id });
}
