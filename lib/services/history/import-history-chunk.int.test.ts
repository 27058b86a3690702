import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb, withTransaction } from "@/db/client";
import { conversations, historySyncs, messages } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createNumber, newWaId } from "@/db/testing/factories";
import { importHistoryChunk } from "@/lib/services/history/import-history-chunk";
import { contentOf } from "@/lib/services/messages/message-content";
import { processWebhookEvents } from "@/lib/services/webhooks/process-webhook-events";
import { receiveWebhook } from "@/lib/services/webhooks/receive-webhook";
import { change, envelope, historyChunk, metadataOf, textMessage } from "@/lib/whatsapp/fixtures/build";
import { toMetaJson } from "@/lib/whatsapp/signature";
import { parseWebhookText, type WaMessage } from "@/lib/whatsapp/webhook-payload";

const { db, sql: pg } = connectTestDatabase();
const ctx = { db, sql: pg, actor: { kind: "webhook" } } as const;
type Num = Awaited<ReturnType<typeof createNumber>>;

async function deliver(body: unknown) {
  const { eventId } = await receiveWebhook({ ctx, input: { raw: Buffer.from(toMetaJson(body)) } });
  if (eventId === null) return;
  const result = await processWebhookEvents({ ctx, input: { eventIds: [eventId] } });
  expect(result.failed).toEqual([]);
}

/** A history chunk of one thread whose messages are given as Meta sends them. */
function rawChunk(n: Num, customer: string, raw: Record<string, unknown>[], chunkOrder = 1) {
  return envelope(n.wabaId, [
    {
      field: "history",
      value: {
        messaging_product: "whatsapp",
        metadata: metadataOf(n),
        history: [{ metadata: { phase: 0, chunk_order: chunkOrder, progress: 50 }, threads: [{ id: customer, messages: raw }] }],
      },
    },
  ]);
}

const sync = async (n: Num) => (await db.select().from(historySyncs).where(eq(historySyncs.numberId, n.id)))[0];

describe("importing a history chunk", () => {
  it("stores each message's own content object, whatever its type and shape", async () => {
    const number = await createNumber(db);
    const customer = newWaId();
    const t = Math.floor(number.onboardedAt.getTime() / 1000) - 86_400;
    const base = (id: string, i: number) => ({ from: customer, id: `wamid.shape-${customer}-${id}`, timestamp: String(t + i) });
    const raw = [
      { ...base("text", 1), type: "text", text: { body: "plain text — merci" } },
      { ...base("text-extra", 2), type: "text", text: { body: "with a link", preview_url: true } },
      { ...base("text-empty", 3), type: "text", text: {} },
      { ...base("placeholder", 4), type: "media_placeholder" },
      { ...base("image", 5), type: "image", image: { caption: "A cactus", mime_type: "image/jpeg", id: "4711" } },
      { ...base("location", 6), type: "location", location: { latitude: 1.5, longitude: 2.5, name: "Shop" } },
      {
        ...base("unsupported", 7),
        type: "unsupported",
        errors: [{ code: 131051, title: "Message type unknown" }],
      },
      { ...base("reply", 8), type: "text", text: { body: "a reply" }, context: { id: "wamid.quoted" } },
    ];
    await deliver(rawChunk(number, customer, raw));

    const stored = await db
      .select({ wamid: messages.wamid, type: messages.type, content: messages.content })
      .from(messages)
      .where(eq(messages.numberId, number.id))
      .orderBy(asc(messages.sentAt));
    expect(stored).toEqual(
      raw.map((m) => ({
        wamid: m.id,
        type: m.type,
        content: contentOf({ ...m, timestamp: new Date() } as WaMessage),
      })),
    );
    const bodies = await db
      .select({ body: messages.body })
      .from(messages)
      .where(eq(messages.numberId, number.id))
      .orderBy(asc(messages.sentAt));
    expect(bodies.map((m) => m.body)).toEqual([
      "plain text — merci",
      "with a link",
      null,
      null,
      "A cactus",
      "Shop",
      null,
      "a reply",
    ]);
    const [conversation] = await db.select().from(conversations).where(eq(conversations.numberId, number.id));
    expect(conversation).toMatchObject({ lastMessagePreview: "a reply", lastMessageDirection: "inbound", unreadCount: 0 });
  });

  it("a conversation's preview is its newest imported message, the first of equal times, and a placeholder says what it is", async () => {
    const number = await createNumber(db);
    const customer = newWaId();
    const t = Math.floor(number.onboardedAt.getTime() / 1000) - 86_400;
    await deliver(
      rawChunk(number, customer, [
        { from: customer, id: `wamid.tie-${customer}-1`, timestamp: String(t + 5), type: "media_placeholder" },
        { from: customer, id: `wamid.tie-${customer}-2`, timestamp: String(t + 5), type: "text", text: { body: "same time" } },
        { from: customer, id: `wamid.tie-${customer}-3`, timestamp: String(t), type: "text", text: { body: "older" } },
      ]),
    );
    const [conversation] = await db.select().from(conversations).where(eq(conversations.numberId, number.id));
    expect(conversation!.lastMessagePreview).not.toBe("same time");
    expect(conversation!.lastMessagePreview).not.toBe("older");
    expect(conversation!.lastMessageAt).toEqual(new Date((t + 5) * 1000));
  });

  it("a revoke that arrives before its history chunk leaves the message deleted and out of search", async () => {
    const number = await createNumber(db);
    const customer = newWaId();
    const t = Math.floor(number.onboardedAt.getTime() / 1000) - 86_400;
    const wamid = `wamid.gone-${customer}`;
    const word = `secretword${customer}`;
    await deliver(change(number, { side: "customer", customer, wamid: `${wamid}-revoke`, original: wamid, timestamp: t + 60 }));
    await deliver(
      historyChunk(number, {
        phase: 0,
        chunkOrder: 1,
        progress: 10,
        threads: [
          {
            id: customer,
            messages: [
              { wamid, from: customer, timestamp: t, text: `my ${word} text` },
              { wamid: `${wamid}-kept`, from: customer, timestamp: t - 60, text: "still here" },
            ],
          },
        ],
      }),
    );
    const [message] = await db.select().from(messages).where(eq(messages.wamid, wamid));
    expect(message!.deletedAt).not.toBeNull();
    const found = await db
      .select({ id: messages.id })
      .from(messages)
      .where(
        and(
          eq(messages.numberId, number.id),
          sql`${messages.deletedAt} is null`,
          // The text index's expression (messages_text_search_idx).
          sql`to_tsvector('simple', coalesce(${messages.editedBody}, ${messages.body}, '')) @@ websearch_to_tsquery('simple', ${word})`,
        ),
      );
    expect(found).toEqual([]);
    const [conversation] = await db.select().from(conversations).where(eq(conversations.numberId, number.id));
    expect(conversation!.lastMessagePreview).not.toContain(word);
  });

  it("a chunk redelivered in another body, next to other events, adds nothing twice", async () => {
    const number = await createNumber(db);
    const customer = newWaId();
    const t = Math.floor(number.onboardedAt.getTime() / 1000) - 86_400;
    const chunk = historyChunk(number, {
      phase: 1,
      chunkOrder: 3,
      progress: 40,
      threads: [
        {
          id: customer,
          messages: Array.from({ length: 30 }, (_, i) => ({
            wamid: `wamid.again-${customer}-${i}`,
            from: i % 2 ? number.displayPhoneNumber : customer,
            timestamp: t + i,
            text: `message ${i}`,
          })),
        },
      ],
    });
    await deliver(chunk);
    const once = await sync(number);
    expect(once).toMatchObject({ chunksReceived: 1, messagesImported: 30, conversationsImported: 1 });

    const live = textMessage(number, { from: newWaId(), wamid: `wamid.live-${customer}`, text: "hello" });
    await deliver({ ...chunk, entry: [...chunk.entry, ...live.entry] });
    expect(await sync(number)).toMatchObject({ chunksReceived: 1, messagesImported: 30, conversationsImported: 1 });
    expect(await db.$count(messages, eq(messages.numberId, number.id))).toBe(31);
  });

  it("a chunk whose messages report other statuses is a new chunk, not a redelivery", async () => {
    const number = await createNumber(db);
    const customer = newWaId();
    const t = Math.floor(number.onboardedAt.getTime() / 1000) - 86_400;
    const chunkWith = (status: string) =>
      historyChunk(number, {
        phase: 0,
        chunkOrder: 1,
        progress: 100,
        threads: [
          {
            id: customer,
            messages: [
              { wamid: `wamid.status-${customer}`, from: number.displayPhoneNumber, timestamp: t, text: "sent", status },
            ],
          },
        ],
      });
    await deliver(chunkWith("DELIVERED"));
    await deliver(chunkWith("DELIVERED"));
    expect(await sync(number)).toMatchObject({ chunksReceived: 1, messagesImported: 1 });
    await deliver(chunkWith("READ"));
    expect(await sync(number)).toMatchObject({ chunksReceived: 2, messagesImported: 1 });
  });
});

describe("importing on the worker's connections, which plan each statement for its values", () => {
  /** One connection set up as the worker's, and the plans PostgreSQL reports on it. */
  async function workerConnection() {
    const plans: string[] = [];
    const worker = createDb(process.env.DATABASE_URL!, {
      max: 1,
      connection: { plan_cache_mode: "force_custom_plan" },
      prepare: true,
      driver: { onnotice: (notice) => plans.push(String(notice.message)) },
    });
    // auto_explain reports every plan as a notice, those of the checks run inside a statement too.
    await worker.sql`load 'auto_explain'`;
    await worker.sql`set auto_explain.log_min_duration = 0`;
    await worker.sql`set auto_explain.log_nested_statements = on`;
    await worker.sql`set auto_explain.log_level = notice`;
    return { ...worker, plans };
  }

  function chunkOf(n: Num, messageCount: number) {
    const customer = newWaId();
    const t = Math.floor(n.onboardedAt.getTime() / 1000) - 86_400;
    return historyChunk(n, {
      phase: 0,
      chunkOrder: 1,
      progress: 10,
      threads: [
        {
          id: customer,
          messages: Array.from({ length: messageCount }, (_, i) => ({
            wamid: `wamid.plans-${customer}-${i}`,
            from: i % 2 ? n.displayPhoneNumber : customer,
            timestamp: t + i,
            text: `message ${i}`,
          })),
        },
      ],
    });
  }

  it("checks each message's conversation with one plan, not one planned per message", async () => {
    const worker = await workerConnection();
    try {
      const number = await createNumber(db);
      const workerCtx = { db: worker.db, sql: worker.sql, actor: { kind: "webhook" } } as const;
      const { eventId } = await receiveWebhook({ ctx, input: { raw: Buffer.from(toMetaJson(chunkOf(number, 40))) } });
      const result = await processWebhookEvents({ ctx: workerCtx, input: { eventIds: [eventId!] } });
      expect(result.processed).toEqual([eventId]);

      const checks = worker.plans.filter((plan) => plan.includes('FROM ONLY "public"."conversations" x WHERE "id"'));
      expect(checks).toHaveLength(40);
      // A plan made for one message's values names its conversation; the plan kept for all takes it as a parameter.
      expect(checks.filter((plan) => !plan.includes("(id = $1)"))).toEqual([]);
    } finally {
      await worker.sql.end({ timeout: 5 });
    }
  });

  it("plans the transaction's statements after the import for their values again", async () => {
    const worker = await workerConnection();
    try {
      const number = await createNumber(db);
      const [item] = parseWebhookText(toMetaJson(chunkOf(number, 5)), { receivedAt: new Date() });
      if (!item || !("event" in item) || item.event.kind !== "history_chunk") throw new Error("not a history chunk");
      const chunk = item.event;
      const mode = await withTransaction(worker.sql, async (tx) => {
        await importHistoryChunk(tx, { number, chunk });
        const [row] = await tx.sql<{ mode: string }[]>`select current_setting('plan_cache_mode') as mode`;
        return row!.mode;
      });
      expect(mode).toBe("force_custom_plan");
    } finally {
      await worker.sql.end({ timeout: 5 });
    }
  });
});
