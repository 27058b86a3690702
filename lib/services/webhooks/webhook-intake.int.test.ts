import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { conversations, messages, webhookEvents } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createNumber, newWaId, newWamid, TEST_SECRET } from "@/db/testing/factories";
import { statusUpdate, textMessage } from "@/lib/whatsapp/fixtures/build";
import { createGraphClient } from "@/lib/whatsapp/graph-client";
import { toMetaJson } from "@/lib/whatsapp/signature";
import type { Ctx } from "../context";
import { deliverMessage, MAX_SEND_ATTEMPTS } from "../messages/deliver-message";
import { processWebhookEvents } from "./process-webhook-events";
import { receiveWebhook } from "./receive-webhook";

const { db, sql } = connectTestDatabase();
const ctx = { db, sql, actor: { kind: "webhook" } } satisfies Ctx;

async function deliver(body: unknown) {
  const { eventId } = await receiveWebhook({ ctx, input: { raw: Buffer.from(toMetaJson(body)) } });
  if (eventId !== null) await processWebhookEvents({ ctx, input: { eventIds: [eventId] } });
  return eventId;
}

async function messagesOf(numberId: string, wamid: string) {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.numberId, numberId), eq(messages.wamid, wamid)));
}

describe("webhook intake", () => {
  it("the intake stores every phone number id and WABA id a body names, whatever their characters", async () => {
    const body = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: `waba-${newWaId()}`,
          changes: [{ field: "messages", value: { metadata: { phone_number_id: `a"b\\c-${newWaId()}` } } }],
        },
      ],
    };
    const { eventId } = await receiveWebhook({ ctx, input: { raw: Buffer.from(toMetaJson(body)) } });
    const [event] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, eventId!));
    expect(event?.routingKeys).toEqual([body.entry[0]!.id, body.entry[0]!.changes[0]!.value.metadata.phone_number_id]);
  });

  it("a redelivered webhook stores one event and one message", async () => {
    const number = await createNumber(db);
    const body = textMessage(number, { from: newWaId(), wamid: newWamid(), text: "Hello" });
    const first = await deliver(body);
    const second = await deliver(body);
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    const wamid = body.entry[0]!.changes[0]!.value as { messages: { id: string }[] };
    expect(await messagesOf(number.id, wamid.messages[0]!.id)).toHaveLength(1);
  });

  it("the same message in a different body (another batch) is stored once and counted unread once", async () => {
    const number = await createNumber(db);
    const from = newWaId();
    const wamid = newWamid();
    const now = Math.floor(Date.now() / 1000);
    await deliver(textMessage(number, { from, wamid, text: "Hi", timestamp: now }));
    await deliver(textMessage(number, { from, wamid, text: "Hi", timestamp: now, name: "Renamed" }));
    const rows = await messagesOf(number.id, wamid);
    expect(rows).toHaveLength(1);
    const [conversation] = await db.select().from(conversations).where(eq(conversations.id, rows[0]!.conversationId));
    expect(conversation?.unreadCount).toBe(1);
  });

  it("concurrent deliveries of one message leave one message", async () => {
    const number = await createNumber(db);
    const from = newWaId();
    const wamid = newWamid();
    const bodies = [1, 2, 3, 4].map((i) => textMessage(number, { from, wamid, text: "Race", name: `Name ${i}` }));
    await Promise.all(bodies.map(deliver));
    expect(await messagesOf(number.id, wamid)).toHaveLength(1);
  });

  it("a live customer message after onboarding opens the window; one older than onboarding does not", async () => {
    const number = await createNumber(db, { onboardedAt: new Date() });
    const from = newWaId();
    const before = Math.floor(Date.now() / 1000) - 3600;
    await deliver(textMessage(number, { from, wamid: newWamid(), text: "Old", timestamp: before }));
    const [c1] = await db.select().from(conversations).where(eq(conversations.numberId, number.id));
    expect(c1?.lastCustomerMessageAt).toBeNull();
    await deliver(textMessage(number, { from, wamid: newWamid(), text: "New", timestamp: Math.floor(Date.now() / 1000) + 1 }));
    const [c2] = await db.select().from(conversations).where(eq(conversations.numberId, number.id));
    expect(c2?.lastCustomerMessageAt).not.toBeNull();
  });

  it("an event for an unknown number is kept as failed with a clear error, not dropped", async () => {
    const body = textMessage(
      { wabaId: "1", phoneNumberId: `9${Date.now()}`, displayPhoneNumber: "1" },
      { from: newWaId(), wamid: newWamid(), text: "Early" },
    );
    const eventId = await deliver(body);
    const [event] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, eventId!));
    expect(event?.status).toBe("failed");
    expect(event?.error).toMatch(/No connected number/);
  });
});

describe("batch processing", () => {
  it("one failing event in a batch is recorded as failed while the others are applied", async () => {
    const number = await createNumber(db);
    const receive = async (body: unknown) =>
      (await receiveWebhook({ ctx, input: { raw: Buffer.from(toMetaJson(body)) } })).eventId!;
    const good = await receive(textMessage(number, { from: newWaId(), wamid: newWamid(), text: "Fine" }));
    const bad = await receive(
      textMessage({ ...number, phoneNumberId: `8${Date.now()}` }, { from: newWaId(), wamid: newWamid(), text: "Orphan" }),
    );
    const alsoGood = await receive(textMessage(number, { from: newWaId(), wamid: newWamid(), text: "Also fine" }));
    const result = await processWebhookEvents({ ctx, input: { eventIds: [good, bad, alsoGood] } });
    expect(result.processed).toEqual([good, alsoGood]);
    expect(result.failed.map((f) => f.id)).toEqual([bad]);
    expect(await db.select().from(messages).where(eq(messages.numberId, number.id))).toHaveLength(2);
  });
});

describe("statuses", () => {
  async function outboundMessage() {
    const number = await createNumber(db);
    const to = newWaId();
    await deliver(textMessage(number, { from: to, wamid: newWamid(), text: "Hi" }));
    const [conversation] = await db.select().from(conversations).where(eq(conversations.numberId, number.id));
    const [message] = await db
      .insert(messages)
      .values({
        numberId: number.id,
        conversationId: conversation!.id,
        contactId: conversation!.contactId,
        direction: "outbound",
        origin: "agent",
        type: "text",
        body: "Reply",
        content: { text: { body: "Reply" } },
        status: "queued",
        sentAt: new Date(),
      })
      .returning();
    return { number, to, message: message! };
  }

  it("statuses arriving out of order end at the highest", async () => {
    const { number, to, message } = await outboundMessage();
    const wamid = newWamid();
    await db.update(messages).set({ wamid }).where(eq(messages.id, message.id));
    for (const status of ["read", "sent", "delivered"] as const) await deliver(statusUpdate(number, { wamid, status, to }));
    const [row] = await messagesOf(number.id, wamid);
    expect(row?.status).toBe("read");
  });

  it("a failure keeps its error, and a later delivery report still wins", async () => {
    const { number, to, message } = await outboundMessage();
    const wamid = newWamid();
    await db.update(messages).set({ wamid }).where(eq(messages.id, message.id));
    await deliver(statusUpdate(number, { wamid, status: "failed", to, errorCode: 131047 }));
    expect((await messagesOf(number.id, wamid))[0]).toMatchObject({ status: "failed", error: { code: 131047 } });
    await deliver(statusUpdate(number, { wamid, status: "sent", to }));
    expect((await messagesOf(number.id, wamid))[0]?.status).toBe("failed");
    await deliver(statusUpdate(number, { wamid, status: "delivered", to }));
    expect((await messagesOf(number.id, wamid))[0]?.status).toBe("delivered");
  });

  it("a send that keeps failing to reach WhatsApp is retried, then failed visibly on the last attempt", async () => {
    const { message } = await outboundMessage();
    const unreachable = createGraphClient({
      baseUrl: "http://graph.invalid",
      version: "v24.0",
      fetch: async () => {
        throw new TypeError("fetch failed", {
          cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
        });
      },
    });
    const sendCtx = { ...ctx, secret: TEST_SECRET };
    const first = await deliverMessage({ ctx: sendCtx, input: { messageId: message.id, graph: unreachable } });
    expect(first.status).toBe("retry");
    expect((await db.select().from(messages).where(eq(messages.id, message.id)))[0]?.status).toBe("queued");
    await db
      .update(messages)
      .set({ sendAttempts: MAX_SEND_ATTEMPTS - 1 })
      .where(eq(messages.id, message.id));
    await deliverMessage({ ctx: sendCtx, input: { messageId: message.id, graph: unreachable } });
    const [row] = await db.select().from(messages).where(eq(messages.id, message.id));
    expect(row).toMatchObject({ status: "failed", error: { code: 0, title: "WhatsApp could not be reached" } });
  });

  it("a status arriving before the send response is applied when the message gets its wamid", async () => {
    const { number, to, message } = await outboundMessage();
    const wamid = newWamid();
    await deliver(statusUpdate(number, { wamid, status: "delivered", to }));
    expect(await messagesOf(number.id, wamid)).toHaveLength(0);
    // Meta answers the send after its status webhook already arrived.
    const graph = createGraphClient({
      baseUrl: "http://graph.invalid",
      version: "v24.0",
      fetch: async () => Response.json({ messaging_product: "whatsapp", messages: [{ id: wamid }] }),
    });
    await deliverMessage({ ctx: { ...ctx, secret: TEST_SECRET }, input: { messageId: message.id, graph } });
    const [row] = await messagesOf(number.id, wamid);
    expect(row?.status).toBe("delivered");
  });
});
