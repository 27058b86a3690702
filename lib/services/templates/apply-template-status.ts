import { and, eq, or } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { numbers, templates } from "@/db/schema";
import { notifyChange } from "@/lib/realtime/notify";
import type { WebhookEvent } from "@/lib/whatsapp/webhook-payload";

type TemplateStatus = Extract<WebhookEvent, { kind: "template_status" }>;

/**
 * `message_template_status_update`: moves the stored template's status (approved, rejected, paused,
 * disabled...). A template Tandem has not listed yet makes the WABA's next listing sync from Meta.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/message_template_status_update
 */
export async function applyTemplateStatus(db: Executor, input: { event: TemplateStatus }) {
  const { event } = input;
  const updated = await db
    .update(templates)
    .set({ status: event.status, rejectedReason: event.reason })
    .where(
      and(
        eq(templates.wabaId, event.wabaId),
        or(
          eq(templates.metaId, event.metaId),
          event.name && event.language ? and(eq(templates.name, event.name), eq(templates.language, event.language)) : undefined,
        ),
      ),
    )
    .returning({ id: templates.id });
  const affected =
    updated.length > 0
      ? await db.select({ id: numbers.id }).from(numbers).where(eq(numbers.wabaId, event.wabaId))
      : await db
          .update(numbers)
          .set({ templatesSyncedAt: null })
          .where(eq(numbers.wabaId, event.wabaId))
          .returning({ id: numbers.id });
  for (const number of affected) await notifyChange(db, { type: "number", numberId: number.id });
}
