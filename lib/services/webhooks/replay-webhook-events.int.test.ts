import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database, type Sql } from "@/db/client";
import { migrateDatabase, recreateDatabase } from "@/db/migrate";
import { webhookEvents } from "@/db/schema";
import { createNumber, newWaId, newWamid } from "@/db/testing/factories";
import { AppError } from "@/lib/errors";
import { textMessage } from "@/lib/whatsapp/fixtures/build";
import { toMetaJson } from "@/lib/whatsapp/signature";
import type { Ctx } from "../context";
import { processWebhookEvents } from "./process-webhook-events";
import { receiveWebhook } from "./receive-webhook";
import {
  dismissWebhookEvent,
  getWebhookEventPayload,
  listWebhookEvents,
  replayFailedWebhookEvents,
} from "./replay-webhook-events";

// "Replay all failed" touches every failed event: a database of its own keeps other files' events out.
const url = `${process.env.DATABASE_URL}_admin`;
let db: Database;
let sql: Sql;
beforeAll(async () => {
  await recreateDatabase(url);
  await migrateDatabase(url);
  ({ db, sql } = createDb(url, { max: 3 }));
});
afterAll(() => sql?.end({ timeout: 5 }));

const ctx = () => ({ db, sql, actor: { kind: "system", name: "test" } }) satisfies Ctx;
async function failedEvent(text: string) {
  const unknown = { wabaId: "1", phoneNumberId: `9${Date.now()}${Math.random()}`, displayPhoneNumber: "1" };
  const raw = toMetaJson(textMessage(unknown, { from: newWaId(), wamid: newWamid(), text }));
  const { eventId } = await receiveWebhook({ ctx: ctx(), input: { raw: Buffer.from(raw) } });
  await processWebhookEvents({ ctx: ctx(), input: { eventIds: [eventId!] } });
  return { id: eventId!, raw };
}
const ids = async (status: "failed" | "dismissed" | "pending") =>
  (await listWebhookEvents({ ctx: ctx(), input: { status, limit: 100 } })).map((e) => e.id);

describe("admin actions on webhook events", () => {
  it("shows the exact stored payload", async () => {
    const { id, raw } = await failedEvent("Olá 😀");
    expect(await getWebhookEventPayload({ ctx: ctx(), input: { eventId: id } })).toEqual({
      eventId: id,
      byteSize: Buffer.byteLength(raw),
      truncated: false,
      body: raw,
    });
    await expect(getWebhookEventPayload({ ctx: ctx(), input: { eventId: 999_999_999 } })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("a dismissed event leaves the failed list, stays stored, and is not replayed with all failed", async () => {
    const dismissed = await failedEvent("dismiss me");
    const kept = await failedEvent("replay me");
    await dismissWebhookEvent({ ctx: ctx(), input: { eventId: dismissed.id } });
    expect(await ids("failed")).not.toContain(dismissed.id);
    expect(await ids("dismissed")).toContain(dismissed.id);
    expect((await db.select().from(webhookEvents).where(eq(webhookEvents.id, dismissed.id)))[0]?.body.toString()).toBe(
      dismissed.raw,
    );

    const { replayed } = await replayFailedWebhookEvents({ ctx: ctx() });
    expect(replayed).toBeGreaterThanOrEqual(1);
    expect(await ids("pending")).toContain(kept.id);
    expect(await ids("failed")).not.toContain(kept.id);
    expect(await ids("dismissed")).toContain(dismissed.id);
  });

  it("refuses to dismiss an event that has not failed", async () => {
    const number = await createNumber(db);
    const raw = toMetaJson(textMessage(number, { from: newWaId(), wamid: newWamid(), text: "fine" }));
    const { eventId } = await receiveWebhook({ ctx: ctx(), input: { raw: Buffer.from(raw) } });
    const refused = dismissWebhookEvent({ ctx: ctx(), input: { eventId: eventId! } });
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({ code: "CONFLICT" });
  });
});
