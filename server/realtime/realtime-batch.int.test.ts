import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, describe, expect, it } from "vitest";
import { connectTestDatabase } from "@/db/testing/database";
import { createNumber, createUser, newWaId, newWamid, TEST_SECRET } from "@/db/testing/factories";
import type { ChangeNotice, ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/events";
import { mintRealtimeToken } from "@/lib/realtime/token";
import { processWebhookEvents } from "@/lib/services/webhooks/process-webhook-events";
import { receiveWebhook } from "@/lib/services/webhooks/receive-webhook";
import { textMessage } from "@/lib/whatsapp/fixtures/build";
import { toMetaJson } from "@/lib/whatsapp/signature";
import { createRealtimeServer } from "./create-realtime-server";

const { db, sql } = connectTestDatabase();
const ctx = { db, sql, actor: { kind: "webhook" } } as const;
// The sidecar reads through a pool that counts its statements; it LISTENs on the test's own.
let reads = 0;
const counted = postgres(process.env.DATABASE_URL!, { max: 5, onnotice: () => {}, debug: () => reads++ });
const server = createRealtimeServer({ db: drizzle(counted), sql, secret: TEST_SECRET, corsOrigin: "*" });
let client: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;

afterAll(async () => {
  client?.disconnect();
  await server.close();
  await counted.end({ timeout: 5 });
});

async function applyTexts(
  number: { phoneNumberId: string; wabaId: string; displayPhoneNumber: string },
  texts: { from: string; text: string }[],
) {
  const ids: number[] = [];
  for (const t of texts) {
    const body = textMessage(number, { from: t.from, name: "Batch customer", wamid: newWamid(), text: t.text });
    const { eventId } = await receiveWebhook({ ctx, input: { raw: Buffer.from(toMetaJson(body)) } });
    if (eventId !== null) ids.push(eventId);
  }
  await processWebhookEvents({ ctx, input: { eventIds: ids } });
}

describe("the realtime sidecar under a batch of notices", () => {
  it("reads a worker batch's notices together, and relays each message, then each conversation once, with content", async () => {
    const { port } = await server.listen(0, "127.0.0.1");
    const number = await createNumber(db, { onboardedAt: new Date(Date.now() - 60_000) });
    const customers = Array.from({ length: 20 }, newWaId);
    await applyTexts(number, [{ from: customers[0]!, text: "hello" }]);
    const [watched] = await sql<{ id: string }[]>`
      select c.id from conversations c join contacts k on k.id = c.contact_id
      where c.number_id = ${number.id} and k.wa_id = ${customers[0]!}`;

    const admin = await createUser(db);
    const token = await mintRealtimeToken({ userId: admin.id, sessionVersion: admin.sessionVersion, secret: TEST_SECRET });
    client = connect(`http://127.0.0.1:${port}`, { auth: { token }, transports: ["websocket"], forceNew: true });
    const events: { name: string; notice: ChangeNotice }[] = [];
    client.on("message:changed", (notice) => events.push({ name: "message", notice }));
    client.on("conversation:changed", (notice) => events.push({ name: "conversation", notice }));
    await new Promise<void>((resolve, reject) => {
      client!.once("connect", resolve);
      client!.once("connect_error", reject);
    });
    expect(await client.timeout(5_000).emitWithAck("conversation:watch", watched!.id)).toEqual({ ok: true });

    // 40 texts from 20 customers, applied in one batch: one commit announces 40 messages.
    reads = 0;
    await applyTexts(
      number,
      Array.from({ length: 40 }, (_, i) => ({ from: customers[i % 20]!, text: `batch text ${i}` })),
    );
    // Every conversation is announced after its last message; the last of the watched one's
    // notices counts all three texts.
    const isSettled = () => {
      const last = events.filter((e) => e.notice.conversationId === watched!.id).at(-1);
      return last?.name === "conversation" && last.notice.conversation?.unreadCount === 3;
    };
    const announced = () => new Set(events.filter((e) => e.name === "conversation").map((e) => e.notice.conversationId));
    // Both of the watched thread's messages too: when the commit's notifications come in two reads,
    // the first run can already announce all 20 conversations, the watched one fully counted, while
    // the second text's message notice is still in the second run.
    const watchedMessages = () => events.filter((e) => e.name === "message" && e.notice.conversationId === watched!.id).length;
    const deadline = Date.now() + 10_000;
    while ((announced().size < 20 || !isSettled() || watchedMessages() < 2) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));

    // PostgreSQL may deliver one commit's notifications in two socket reads, which makes two runs:
    // a conversation is then announced once per run. Each is announced, with its content.
    const conversationEvents = events.filter((e) => e.name === "conversation");
    expect(announced().size).toBe(20);
    expect(conversationEvents.every((e) => e.notice.conversation?.numberId === number.id)).toBe(true);
    // The watched thread: its two messages with their content in order, each followed in its run
    // by its conversation, the last one with both counted.
    const ofWatched = events.filter((e) => e.notice.conversationId === watched!.id);
    expect(ofWatched.filter((e) => e.name === "message").map((e) => e.notice.message?.body)).toEqual([
      "batch text 0",
      "batch text 20",
    ]);
    expect(isSettled()).toBe(true);
    // One read of conversations and one of messages per run of notices, not one or two per notice.
    expect(reads).toBeLessThanOrEqual(6);
  });
});
