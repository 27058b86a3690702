import { createHash } from "node:crypto";
import type { Sql } from "@/db/client";
import { AppError } from "@/lib/errors";
import { routingKeysOf } from "@/lib/whatsapp/webhook-payload";
import type { Ctx } from "../context";
import { wakeWebhookProcessors } from "./webhook-queue";

/**
 * Commits the raw, already verified webhook bytes as a pending event; the caller acknowledges Meta
 * only after this returns. An identical redelivery is stored once. Workers pick pending events up.
 * This is the hot path of intake: one parse for the envelope check, one prepared insert.
 */
export async function receiveWebhook({ ctx, input }: { ctx: Ctx & { sql: Sql }; input: { raw: Buffer } }) {
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
  // serialises the commits of notifying transactions, WAL flush included. Written for the driver
  // (a prepared statement) rather than built by drizzle on every request.
  const [row] = await ctx.sql<{ id: string }[]>`
    insert into webhook_events (body_sha256, body, routing_keys)
    values (${bodySha256}, ${input.raw}, ${textArrayLiteral(routingKeys)}::text[])
    on conflict (body_sha256) do nothing
    returning id`;
  if (!row) return { eventId: null, duplicate: true };
  wakeWebhookProcessors(ctx.db);
  return { eventId: Number(row.id), duplicate: false };
}

/** `{"a","b"}`: a text[] literal, passed as one text parameter. */
const textArrayLiteral = (values: string[]) => `{${values.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`;
