import { createHash } from "node:crypto";
import { webhookEvents } from "@/db/schema";
import { AppError } from "@/lib/errors";

import { routingKeysOf } from "@/lib/whatsapp/webhook-payload";
import type { Ctx } from "../context";
import { wakeWebhookProcessors } from "./webhook-queue";

/**
 * Commits the raw, already verified webhook bytes as a pending event; the caller acknowledges Meta
 * only after this returns. An identical redelivery is stored once. Workers pick pending events up.
 */
export async function receiveWebhook({ ctx, input }: { ctx: Ctx; input: { raw: Buffer } }) {
  let json: unknown;
  try {
    json = JSON.parse(input.raw.toString("utf8"));
  } catch {
    throw new AppError("VALIDATION", "The body is not valid JSON.");
  }
  // One envelope check serves as validation and yields the routing keys.
  const routingKeys = routingKeysOf(json);
  if (!routingKeys) {
    throw new AppError("VALIDATION", "The body is not a WhatsApp webhook: expected { object, entry: [{ id, changes }] }.");
  }

  const bodySha256 = createHash("sha256").update(input.raw).digest("hex");
  // A single-statement, synchronously committed insert: no NOTIFY inside it, because PostgreSQL
  // serialises the commits of notifying transactions, WAL flush included.
  const [row] = await ctx.db
    .insert(webhookEvents)
    .values({ bodySha256, body: input.raw, routingKeys })
    .onConflictDoNothing()
    .returning({ id: webhookEvents.id });
  if (!row) return { eventId: null, duplicate: true };
  wakeWebhookProcessors(ctx.db);
  return { eventId: row.id, duplicate: false };
}
