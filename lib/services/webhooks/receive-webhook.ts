import { createHash } from "node:crypto";
import { webhookEvents } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { normaliseEnvelope, routingKeysOf } from "@/lib/whatsapp/webhook-payload";
import type { Ctx } from "../context";

/**
 * Commits the raw, already verified webhook bytes and queues their processing in one transaction;
 * the caller acknowledges Meta only after this returns. An identical redelivery is stored once.
 */
export async function receiveWebhook({ ctx, input }: { ctx: Ctx; input: { raw: Buffer } }) {
  let json: unknown;
  try {
    json = JSON.parse(input.raw.toString("utf8"));
  } catch {
    throw new AppError("VALIDATION", "The body is not valid JSON.");
  }
  if (!normaliseEnvelope(json)) {
    throw new AppError("VALIDATION", "The body is not a WhatsApp webhook: expected { object, entry: [{ id, changes }] }.");
  }

  const bodySha256 = createHash("sha256").update(input.raw).digest("hex");
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookEvents)
      .values({ bodySha256, body: input.raw, routingKeys: routingKeysOf(json) })
      .onConflictDoNothing()
      .returning({ id: webhookEvents.id });
    if (!row) return { eventId: null, duplicate: true };
    await enqueueJob(tx, "process-webhook-event", { eventId: row.id }, { jobKey: `webhook:${row.id}` });
    return { eventId: row.id, duplicate: false };
  });
}
