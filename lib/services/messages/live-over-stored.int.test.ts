import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { contacts, conversations, messages } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createNumber, newWaId, newWamid } from "@/db/testing/factories";
import { echo, historyChunk, textMessage } from "@/lib/whatsapp/fixtures/build";
import unavailable from "@/lib/whatsapp/fixtures/unsupported-131060.json";
import { toMetaJson } from "@/lib/whatsapp/signature";
import { resolveContact } from "../contacts/resolve-contact";
import { processWebhookEvents } from "../webhooks/process-webhook-events";
import { receiveWebhook } from "../webhooks/receive-webhook";

const { db, sql } = connectTestDatabase();
const ctx = { db, sql, actor: { kind: "webhook" } } as const;
const now = () => Math.floor(Date.now() / 1000);

async function deliver(body: unknown) {
  const { eventId } = await receiveWebhook({ ctx, input: { raw: Buffer.from(toMetaJson(body)) } });
  if (eventId !== null) await processWebhookEvents({ ctx, input: { eventIds: [eventId] } });
}

const messageOf = async (numberId: string, wamid: string) =>
  (
    await db
      .select()
      .from(messages)
      .where(and(eq(messages.numberId, numberId), eq(messages.wamid, wamid)))
  )[0];
const conversationOf = async (id: string) => (await db.select().from(conversations).where(eq(conversations.id, id)))[0]!;

/** Meta's documented 131060 placeholder (the fixture), moved to a test number, customer and id. */
function placeholder(n: { wabaId: string; phoneNumberId: string; displayPhoneNumber: string }, from: string, wamid: string) {
  const body = structuredClone(unavailable) as typeof unavailable;
  body.entry[0]!.id = n.wabaId;
  const value = body.entry[0]!.changes[0]!.value;
  value.metadata = { display_phone_number: n.displayPhoneNumber, phone_number_id: n.phoneNumberId };
  value.contacts[0]!.wa_id = from;
  Object.assign(value.messages[0]!, { from, id: wamid, timestamp: String(now() - 10) });
  return body;
}

describe("a live message over a stored row with the same wamid", () => {
  it("the real message after a 131060 placeholder replaces it and counts as the customer's message", async () => {
    const number = await createNumber(db);
    const from = newWaId();
    const wamid = newWamid();
    await deliver(placeholder(number, from, wamid));
    const before = await messageOf(number.id, wamid);
    expect(before).toMatchObject({ type: "unsupported" });
    expect(await conversationOf(before!.conversationId)).toMatchObject({ unreadCount: 0, lastCustomerMessageAt: null });

    await deliver(textMessage(number, { from, wamid, text: "The real text" }));
    const after = await messageOf(number.id, wamid);
    expect(after).toMatchObject({ id: before!.id, type: "text", body: "The real text", origin: "customer" });
    const conversation = await conversationOf(after!.conversationId);
    expect(conversation).toMatchObject({ unreadCount: 1, lastMessagePreview: "The real text" });
    expect(conversation.lastCustomerMessageAt).not.toBeNull();

    // A redelivery changes nothing more.
    await deliver(textMessage(number, { from, wamid, text: "The real text", name: "Again" }));
    expect((await conversationOf(after!.conversationId)).unreadCount).toBe(1);
  });

  it("a live message already imported from history becomes live and applies its live effects once", async () => {
    const number = await createNumber(db, { onboardedAt: new Date(Date.now() - 3600_000) });
    const from = newWaId();
    const wamid = newWamid();
    const at = now() - 60; // after onboarding: the snapshot reached past it
    await deliver(
      historyChunk(number, {
        phase: 0,
        chunkOrder: 1,
        progress: 10,
        threads: [{ id: from, messages: [{ wamid, from, timestamp: at, text: "Hi" }] }],
      }),
    );
    expect(await messageOf(number.id, wamid)).toMatchObject({ origin: "history" });

    await deliver(textMessage(number, { from, wamid, text: "Hi", timestamp: at }));
    const row = await messageOf(number.id, wamid);
    expect(row).toMatchObject({ origin: "customer", status: "received" });
    const conversation = await conversationOf(row!.conversationId);
    expect(conversation.unreadCount).toBe(1);
    expect(conversation.lastCustomerMessageAt?.getTime()).toBe(at * 1000);
    await deliver(textMessage(number, { from, wamid, text: "Hi", timestamp: at, name: "Again" }));
    expect((await conversationOf(row!.conversationId)).unreadCount).toBe(1);
  });

  it("a live echo over its history copy becomes a phone message and keeps the better status", async () => {
    const number = await createNumber(db);
    const customer = newWaId();
    const wamid = newWamid();
    const at = now() - 30;
    await deliver(
      historyChunk(number, {
        phase: 0,
        chunkOrder: 1,
        progress: 10,
        threads: [
          {
            id: customer,
            messages: [
              { wamid, from: number.displayPhoneNumber, to: customer, timestamp: at, text: "From the phone", status: "READ" },
            ],
          },
        ],
      }),
    );
    await deliver(echo(number, { to: customer, wamid, timestamp: at }));
    expect(await messageOf(number.id, wamid)).toMatchObject({ origin: "phone", direction: "outbound", status: "read" });
  });

  it("a history message WhatsApp still called PENDING shows no sending clock", async () => {
    const number = await createNumber(db);
    const customer = newWaId();
    const wamid = newWamid();
    await deliver(
      historyChunk(number, {
        phase: 0,
        chunkOrder: 1,
        progress: 10,
        threads: [
          {
            id: customer,
            messages: [{ wamid, from: number.displayPhoneNumber, to: customer, timestamp: now() - 99, status: "PENDING" }],
          },
        ],
      }),
    );
    expect(await messageOf(number.id, wamid)).toMatchObject({ status: "sent", historyStatus: "PENDING" });
  });
});

describe("conversations created concurrently", () => {
  it("two live messages at once from a known contact without a conversation both find the one conversation", async () => {
    const number = await createNumber(db);
    const waId = newWaId();
    const [contact] = await db.insert(contacts).values({ numberId: number.id, waId, addressBookName: "Known" }).returning();
    // Another transaction creates the conversation and commits only once ours waits on it.
    const other = await sql.reserve();
    try {
      await other`begin`;
      const [created] = await other<{ id: string }[]>`
        insert into conversations (number_id, contact_id) values (${number.id}, ${contact!.id}) returning id`;
      const ours = db.transaction((tx) =>
        resolveContact(tx, { numberId: number.id, ref: { waId, userId: null, profileName: null } }),
      );
      for (let waited = 0; ; waited += 20) {
        const [row] = await sql<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%insert into "conversations"%'`;
        if (row!.n > 0) break;
        if (waited > 10_000) throw new Error("our insert never waited for the other transaction");
        await new Promise((r) => setTimeout(r, 20));
      }
      await other`commit`;
      expect((await ours).conversation.id).toBe(created!.id);
    } finally {
      other.release();
    }
  });
});
