import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { historySyncs, messages, numbers, webhookEvents } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createNumber, newWaId, newWamid } from "@/db/testing/factories";
import { accountUpdate, envelope, historyChunk, metadataOf, statusUpdate, textMessage } from "@/lib/whatsapp/fixtures/build";
import { toMetaJson } from "@/lib/whatsapp/signature";
import type { Ctx } from "../context";
import { processWebhookEvents } from "./process-webhook-events";
import { receiveWebhook } from "./receive-webhook";
import { replayEventsForNumber, replayWebhookEvent } from "./replay-webhook-events";

const { db, sql } = connectTestDatabase();
const ctx = { db, sql, actor: { kind: "webhook" } } satisfies Ctx;

const receive = async (body: unknown) => (await receiveWebhook({ ctx, input: { raw: Buffer.from(toMetaJson(body)) } })).eventId!;
const process = (ids: number[]) => processWebhookEvents({ ctx, input: { eventIds: ids } });
const eventOf = async (id: number) => (await db.select().from(webhookEvents).where(eq(webhookEvents.id, id)))[0]!;
const messagesOf = (numberId: string) => db.select().from(messages).where(eq(messages.numberId, numberId));
const now = () => Math.floor(Date.now() / 1000);

/** A `messages` change carrying the given raw message objects, as Meta batches them. */
function messagesBody(n: Parameters<typeof metadataOf>[0], items: Record<string, unknown>[], statuses?: unknown[]) {
  return envelope(n.wabaId, [
    {
      field: "messages",
      value: {
        messaging_product: "whatsapp",
        metadata: metadataOf(n),
        contacts: [{ profile: { name: "Customer" }, wa_id: String(items[0]?.from ?? "") }],
        messages: items,
        ...(statuses ? { statuses } : {}),
      },
    },
  ]);
}

const text = (from: string, body: string, wamid = newWamid()) => ({
  from,
  id: wamid,
  timestamp: String(now()),
  type: "text",
  text: { body },
});

describe("text Meta sends is made storable", () => {
  it("a customer text with U+0000 and a lone surrogate is stored cleaned and the event is processed", async () => {
    const number = await createNumber(db);
    const from = newWaId();
    const body = messagesBody(number, [text(from, "card\u0000 4111 \ud83d end")]);
    (body.entry[0]!.changes[0]!.value as { contacts: { profile: { name: string } }[] }).contacts[0]!.profile.name =
      "Ana\u0000\udc00";
    const id = await receive(body);
    await process([id]);
    expect((await eventOf(id)).status).toBe("processed");
    const [row] = await messagesOf(number.id);
    expect(row?.body).toBe("card 4111 \ufffd end");
    // The raw bytes are kept exactly as received.
    expect((await eventOf(id)).body.toString("utf8")).toBe(toMetaJson(body));
  });
});

describe("a failure is recorded, short and sanitised, and never fails the batch", () => {
  it("an item that cannot be applied fails its event with the item's path; the next event is applied", async () => {
    const number = await createNumber(db);
    // Neither a WhatsApp id nor a user id: the contact cannot be resolved.
    const bad = await receive(messagesBody(number, [{ ...text("", "secret body \u0000 text"), from: "" }]));
    const good = await receive(textMessage(number, { from: newWaId(), wamid: newWamid(), text: "Fine" }));
    const result = await process([bad, good]);
    expect(result.processed).toEqual([good]);
    const event = await eventOf(bad);
    expect(event.status).toBe("failed");
    expect(event.attempts).toBe(1);
    expect(event.failedItems).toEqual([
      { path: "entry[0].changes[0].value.messages[0]", code: "apply_failed", message: expect.any(String) },
    ]);
    expect(event.error).not.toMatch(/secret body|insert|select|params/i);
    expect(event.error!.length).toBeLessThan(300);
    expect(await messagesOf(number.id)).toHaveLength(1);
  });
});

describe("each item is applied on its own", () => {
  it("one malformed message does not lose its good sibling, and replay applies only what is missing", async () => {
    const number = await createNumber(db);
    const from = newWaId();
    const good = text(from, "Good one");
    const id = await receive(messagesBody(number, [good, { ...text(from, "Bad one"), timestamp: "yesterday" }]));
    await process([id]);
    expect((await messagesOf(number.id)).map((m) => m.body)).toEqual(["Good one"]);
    const event = await eventOf(id);
    expect(event.status).toBe("failed");
    expect(event.failedItems).toEqual([
      { path: "entry[0].changes[0].value.messages[1]", code: "invalid", message: expect.stringMatching(/timestamp/) },
    ]);

    // Replay: the good message is not applied a second time (its conversation stays at one unread).
    await replayWebhookEvent({ ctx, input: { eventId: id } });
    const result = await process([id]);
    expect(result.failed.map((f) => f.id)).toEqual([id]);
    expect(await messagesOf(number.id)).toHaveLength(1);
  });

  it("a good message next to a malformed status is stored", async () => {
    const number = await createNumber(db);
    const from = newWaId();
    const id = await receive(messagesBody(number, [text(from, "Kept")], [{ id: newWamid(), status: "exploded" }]));
    await process([id]);
    expect((await messagesOf(number.id)).map((m) => m.body)).toEqual(["Kept"]);
    expect((await eventOf(id)).failedItems).toEqual([
      { path: "entry[0].changes[0].value.statuses[0]", code: "invalid", message: expect.any(String) },
    ]);
  });
});

describe("numbers that are not connected yet", () => {
  it("a body that also names an unknown number applies the connected number's message and keeps the rest for replay", async () => {
    const number = await createNumber(db);
    const later = { wabaId: number.wabaId, phoneNumberId: `7${Date.now()}`, displayPhoneNumber: "15550001111" };
    const connected = textMessage(number, { from: newWaId(), wamid: newWamid(), text: "Connected" });
    const early = textMessage(later, { from: newWaId(), wamid: newWamid(), text: "Early" });
    const id = await receive({ object: "whatsapp_business_account", entry: [...connected.entry, ...early.entry] });
    await process([id]);
    expect((await messagesOf(number.id)).map((m) => m.body)).toEqual(["Connected"]);
    const event = await eventOf(id);
    expect(event.status).toBe("failed");
    expect(event.failedItems).toEqual([
      { path: "entry[1].changes[0].value.messages[0]", code: "number_not_connected", message: expect.any(String) },
    ]);

    // The number connects: the kept item is applied, the connected number's message is not doubled.
    const [second] = await db
      .insert(numbers)
      .values({ ...later, verifiedName: "Later", accessTokenEncrypted: number.accessTokenEncrypted })
      .returning();
    expect(await replayEventsForNumber({ ctx, input: { phoneNumberId: later.phoneNumberId, wabaId: "" } })).toBe(1);
    await process([id]);
    expect((await eventOf(id)).status).toBe("processed");
    expect((await messagesOf(second!.id)).map((m) => m.body)).toEqual(["Early"]);
    expect(await messagesOf(number.id)).toHaveLength(1);
  });

  it("connecting a number replays only events that failed because it was not connected", async () => {
    const number = await createNumber(db);
    const broken = await receive(messagesBody(number, [{ ...text(newWaId(), "x"), timestamp: "never" }]));
    await process([broken]);
    expect((await eventOf(broken)).status).toBe("failed");
    await replayEventsForNumber({ ctx, input: { phoneNumberId: number.phoneNumberId, wabaId: number.wabaId } });
    expect((await eventOf(broken)).status).toBe("failed");
  });
});

describe("lifecycle and history progress", () => {
  it("an account_update without entry.time uses the receipt time, so PARTNER_REMOVED stops the number", async () => {
    const number = await createNumber(db, { stateChangedAt: new Date(Date.now() - 86_400_000) });
    const body = accountUpdate(number, { event: "PARTNER_REMOVED", time: 0, reason: "USER_ACTION" });
    delete (body.entry[0] as { time?: number }).time;
    const id = await receive(body);
    await process([id]);
    const [row] = await db.select().from(numbers).where(eq(numbers.id, number.id));
    expect(row?.state).toBe("disconnected");
    expect(Math.abs(row!.stateChangedAt!.getTime() - (await eventOf(id)).receivedAt.getTime())).toBeLessThan(1000);
  });

  it("a last history chunk that carries no threads still completes the sync", async () => {
    const number = await createNumber(db);
    const wa = newWaId();
    await process([
      await receive(
        historyChunk(number, {
          phase: 0,
          chunkOrder: 1,
          progress: 50,
          threads: [{ id: wa, messages: [{ wamid: newWamid(), from: wa, timestamp: now() - 99, text: "Old" }] }],
        }),
      ),
    ]);
    await process([await receive(historyChunk(number, { phase: 2, chunkOrder: 9, progress: 100, threads: [] }))]);
    const [sync] = await db.select().from(historySyncs).where(eq(historySyncs.numberId, number.id));
    expect(sync).toMatchObject({ state: "complete", maxProgress: 100, chunksReceived: 2 });
  });
});

describe("statuses", () => {
  it("a second failed status keeps the latest error", async () => {
    const number = await createNumber(db);
    const to = newWaId();
    await process([await receive(textMessage(number, { from: to, wamid: newWamid(), text: "Hi" }))]);
    const [inbound] = await messagesOf(number.id);
    const wamid = newWamid();
    await db.insert(messages).values({
      numberId: number.id,
      conversationId: inbound!.conversationId,
      contactId: inbound!.contactId,
      wamid,
      direction: "outbound",
      origin: "agent",
      type: "text",
      body: "Reply",
      status: "sent",
      sentAt: new Date(),
    });
    await process([
      await receive(statusUpdate(number, { wamid, status: "failed", to, errorCode: 131047, timestamp: now() - 5 })),
    ]);
    await process([await receive(statusUpdate(number, { wamid, status: "failed", to, errorCode: 131026, timestamp: now() }))]);
    const [row] = await db
      .select()
      .from(messages)
      .where(and(eq(messages.numberId, number.id), eq(messages.wamid, wamid)));
    expect(row).toMatchObject({ status: "failed", error: { code: 131026 } });
  });
});
