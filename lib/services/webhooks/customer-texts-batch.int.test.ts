import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { contacts, conversations, messageStatusEvents, messages, webhookEvents } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createConversation, createNumber, createUser, newWaId, newWamid } from "@/db/testing/factories";
import { NOTIFY_CHANNEL } from "@/lib/realtime/events";
import { change, statusUpdate, textMessage } from "@/lib/whatsapp/fixtures/build";
import { toMetaJson } from "@/lib/whatsapp/signature";
import type { Ctx } from "../context";
import { processWebhookEvents } from "./process-webhook-events";
import { receiveWebhook } from "./receive-webhook";

const { db, sql } = connectTestDatabase();
const ctx = { db, sql, actor: { kind: "webhook" } } satisfies Ctx;

// A second pool that counts the statements it sends.
let statements = 0;
const counted = postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {}, debug: () => statements++ });
afterAll(() => counted.end({ timeout: 5 }));
const countedCtx = { db: drizzle(counted), sql: counted, actor: { kind: "webhook" } } satisfies Ctx;

async function store(bodies: unknown[]) {
  const ids: number[] = [];
  for (const body of bodies) {
    const { eventId } = await receiveWebhook({ ctx, input: { raw: Buffer.from(toMetaJson(body)) } });
    if (eventId !== null) ids.push(eventId);
  }
  return ids;
}

const now = Math.floor(Date.now() / 1000);
const at = (secondsFromNow: number) => now + secondsFromNow;

async function conversationOf(numberId: string, waId: string) {
  const [row] = await db
    .select({ conversation: conversations, contact: contacts })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(and(eq(conversations.numberId, numberId), eq(contacts.waId, waId)));
  return row!;
}

describe("a batch of live customer texts", () => {
  it("is applied in a few statements for the whole batch, not a round of statements per text", async () => {
    const number = await createNumber(db, { onboardedAt: new Date(Date.now() - 60_000) });
    const customers = Array.from({ length: 20 }, newWaId);
    const ids = await store(
      Array.from({ length: 40 }, (_, i) =>
        textMessage(number, { from: customers[i % 20]!, name: `Customer ${i % 20}`, wamid: newWamid(), text: `Text ${i}` }),
      ),
    );
    statements = 0;
    const result = await processWebhookEvents({ ctx: countedCtx, input: { eventIds: ids } });
    expect(result.processed).toHaveLength(40);
    expect(statements).toBeLessThan(30);
    const stored = await db.select().from(messages).where(eq(messages.numberId, number.id));
    expect(stored).toHaveLength(40);
    const first = await conversationOf(number.id, customers[0]!);
    expect(first.conversation.unreadCount).toBe(2);
    expect(first.conversation.lastMessagePreview).toBe("Text 20");
  });

  it("has the effects of applying its texts one by one: unread once per message, newest preview, reopening, names, alerts", async () => {
    const number = await createNumber(db, { onboardedAt: new Date(Date.now() - 60_000) });
    const agent = await createUser(db);
    const known = newWaId();
    const fresh = newWaId();
    await processWebhookEvents({
      ctx,
      input: {
        eventIds: await store([
          textMessage(number, { from: known, name: "Known", wamid: newWamid(), text: "Earlier", timestamp: at(-30) }),
        ]),
      },
    });
    const before = await conversationOf(number.id, known);
    await db
      .update(conversations)
      .set({ status: "resolved", unreadCount: 0, assigneeId: agent.id })
      .where(eq(conversations.id, before.conversation.id));

    const redelivered = newWamid();
    const bodies = [
      textMessage(number, { from: known, wamid: redelivered, text: "Newest", timestamp: at(-5) }),
      textMessage(number, { from: known, wamid: newWamid(), text: "Late but older", timestamp: at(-20) }),
      textMessage(number, { from: fresh, name: "Fresh", wamid: newWamid(), text: "First tie", timestamp: at(-10) }),
      // A redelivery inside the batch: no second message, but the name it carries is taken.
      textMessage(number, { from: known, name: "Known renamed", wamid: redelivered, text: "Newest", timestamp: at(-5) }),
      textMessage(number, { from: fresh, name: "Fresh renamed", wamid: newWamid(), text: "Second tie", timestamp: at(-10) }),
    ];
    const ids = await store(bodies);
    const notices: { type: string; numberId: string; kind?: string; assigneeId?: string | null }[] = [];
    const listener = await sql.listen(NOTIFY_CHANNEL, (payload) => notices.push(JSON.parse(payload)));
    try {
      const result = await processWebhookEvents({ ctx, input: { eventIds: ids } });
      expect(result.processed).toHaveLength(5);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await listener.unlisten();
    }

    const knownAfter = await conversationOf(number.id, known);
    expect(knownAfter.conversation).toMatchObject({
      status: "open",
      unreadCount: 2,
      lastMessagePreview: "Newest",
      assigneeId: agent.id,
    });
    expect(knownAfter.conversation.lastCustomerMessageAt?.getTime()).toBe(at(-5) * 1000);
    expect(knownAfter.contact.profileName).toBe("Known renamed");
    const freshAfter = await conversationOf(number.id, fresh);
    expect(freshAfter.conversation).toMatchObject({ status: "open", unreadCount: 2, lastMessagePreview: "Second tie" });
    expect(freshAfter.contact.profileName).toBe("Fresh renamed");

    const mine = notices.filter((n) => n.numberId === number.id);
    expect(mine.filter((n) => n.type === "message")).toHaveLength(4);
    // PostgreSQL delivers identical notices of one transaction once: one alert per conversation and kind.
    expect(mine.filter((n) => n.type === "activity").map((n) => [n.kind, n.assigneeId])).toEqual([
      ["customer_message", agent.id],
      ["new_conversation", null],
      ["customer_message", null],
    ]);
  });

  it("leaves edits, revokes and unknown numbers to the item-by-item path, in the same batch or earlier ones", async () => {
    const number = await createNumber(db, { onboardedAt: new Date(Date.now() - 60_000) });
    const from = newWaId();
    const edited = newWamid();
    const revoked = newWamid();
    const plain = newWamid();
    // The edit arrives in an earlier batch than its message.
    await processWebhookEvents({
      ctx,
      input: {
        eventIds: await store([
          change(number, { side: "customer", customer: from, wamid: newWamid(), original: edited, edit: "Edited text" }),
        ]),
      },
    });
    const ids = await store([
      change(number, { side: "customer", customer: from, wamid: newWamid(), original: revoked }),
      textMessage(number, { from, wamid: edited, text: "Original text", timestamp: at(-20) }),
      textMessage(number, { from, wamid: plain, text: "Plain", timestamp: at(-15) }),
      textMessage({ ...number, phoneNumberId: `unknown-${newWaId()}` }, { from, wamid: newWamid(), text: "Nobody" }),
      textMessage(number, { from, wamid: revoked, text: "Card 4111 1111 1111 1111", timestamp: at(-10) }),
    ]);
    const result = await processWebhookEvents({ ctx, input: { eventIds: ids } });
    expect(result.processed).toHaveLength(4);
    expect(result.failed.map((f) => f.items[0]?.code)).toEqual(["number_not_connected"]);

    const rows = await db
      .select()
      .from(messages)
      .where(and(eq(messages.numberId, number.id), inArray(messages.wamid, [edited, revoked, plain])));
    const byWamid = new Map(rows.map((m) => [m.wamid, m]));
    expect(byWamid.get(edited)?.editedBody).toBe("Edited text");
    expect(byWamid.get(revoked)?.deletedAt).not.toBeNull();
    expect(byWamid.get(plain)?.body).toBe("Plain");
    const { conversation } = await conversationOf(number.id, from);
    expect(conversation.lastMessagePreview).toBe("This message was deleted");
    expect(conversation.unreadCount).toBe(3);
    const [failed] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, ids[3]!));
    expect(failed?.status).toBe("failed");
  });
  it("upgrades a history copy of a text imported while the batch ran, as one by one, with the live effects once", async () => {
    const number = await createNumber(db, { onboardedAt: new Date(Date.now() - 60_000) });
    const customer = newWaId();
    const wamid = newWamid();
    // The history import does not take the message locks: its copy of the same message can commit
    // after the batch checked the wamid. Simulated by a trigger that imports it when the batch
    // creates the conversation.
    const trigger = `test_history_race_${number.id.replace(/-/g, "")}`;
    await sql.unsafe(`
      create function ${trigger}() returns trigger language plpgsql as $$
      begin
        insert into messages (number_id, conversation_id, contact_id, wamid, direction, origin, type, body, status, sent_at)
        values (new.number_id, new.id, new.contact_id, '${wamid}', 'inbound', 'history', 'text', 'imported copy', 'received', now());
        return null;
      end $$;
      create trigger ${trigger} after insert on conversations for each row
        when (new.number_id = '${number.id}') execute function ${trigger}();`);
    try {
      const ids = await store([
        textMessage(number, { from: customer, name: "Racer", wamid, text: "Live text", timestamp: at(-5) }),
      ]);
      const result = await processWebhookEvents({ ctx, input: { eventIds: ids } });
      expect(result.processed).toEqual(ids);
    } finally {
      await sql.unsafe(`drop trigger ${trigger} on conversations; drop function ${trigger}();`);
    }
    const [message] = await db
      .select()
      .from(messages)
      .where(and(eq(messages.numberId, number.id), eq(messages.wamid, wamid)));
    expect(message).toMatchObject({ origin: "customer", body: "Live text" });
    const { conversation } = await conversationOf(number.id, customer);
    expect(conversation.unreadCount).toBe(1);
    expect(conversation.lastCustomerMessageAt?.getTime()).toBe(at(-5) * 1000);
  });
});

describe("a batch of statuses", () => {
  it("is applied in a few statements and ends as applied one by one: highest status, latest failure's error", async () => {
    const number = await createNumber(db);
    const conversation = await createConversation(db, { numberId: number.id });
    const wamids = Array.from({ length: 10 }, newWamid);
    await db.insert(messages).values(
      wamids.map((wamid) => ({
        numberId: number.id,
        conversationId: conversation.id,
        contactId: conversation.contactId,
        wamid,
        direction: "outbound" as const,
        origin: "agent" as const,
        type: "text",
        body: "Hi",
        status: "sent" as const,
        sentAt: new Date(),
      })),
    );
    const to = newWaId();
    const notYetStored = newWamid();
    const [first, failing] = [wamids[0]!, wamids[1]!];
    const ids = await store([
      ...wamids.slice(2).map((wamid) => statusUpdate(number, { wamid, status: "delivered", to })),
      statusUpdate(number, { wamid: first, status: "read", to, timestamp: at(-5) }),
      statusUpdate(number, { wamid: first, status: "delivered", to, timestamp: at(-10) }),
      statusUpdate(number, { wamid: first, status: "sent", to, timestamp: at(-20) }),
      statusUpdate(number, { wamid: failing, status: "failed", to, timestamp: at(-10), errorCode: 131026 }),
      statusUpdate(number, { wamid: failing, status: "failed", to, timestamp: at(-5), errorCode: 131049 }),
      statusUpdate(number, { wamid: failing, status: "failed", to, timestamp: at(-30), errorCode: 131000 }),
      statusUpdate(number, { wamid: notYetStored, status: "delivered", to }),
    ]);
    statements = 0;
    const result = await processWebhookEvents({ ctx: countedCtx, input: { eventIds: ids } });
    expect(result.processed).toHaveLength(ids.length);
    expect(statements).toBeLessThan(15);

    const rows = await db.select().from(messages).where(eq(messages.conversationId, conversation.id));
    const byWamid = new Map(rows.map((m) => [m.wamid, m]));
    expect(byWamid.get(first)?.status).toBe("read");
    expect(byWamid.get(failing)).toMatchObject({ status: "failed", error: { code: 131049 } });
    expect(wamids.slice(2).map((w) => byWamid.get(w)?.status)).toEqual(Array(8).fill("delivered"));
    const kept = await db
      .select()
      .from(messageStatusEvents)
      .where(and(eq(messageStatusEvents.numberId, number.id), eq(messageStatusEvents.wamid, notYetStored)));
    expect(kept.map((k) => k.status)).toEqual(["delivered"]);
  });
});
