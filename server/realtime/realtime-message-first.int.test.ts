import { randomUUID } from "node:crypto";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { connectTestDatabase } from "@/db/testing/database";
import { createNumber, createUser, newWaId, newWamid, TEST_SECRET } from "@/db/testing/factories";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/events";
import { mintRealtimeToken } from "@/lib/realtime/token";
import { processWebhookEvents } from "@/lib/services/webhooks/process-webhook-events";
import { receiveWebhook } from "@/lib/services/webhooks/receive-webhook";
import { textMessage } from "@/lib/whatsapp/fixtures/build";
import { toMetaJson } from "@/lib/whatsapp/signature";
import { createRealtimeServer } from "./create-realtime-server";

const { db, sql } = connectTestDatabase();
const ctx = { db, sql, actor: { kind: "webhook" } } as const;
// The sidecar reads through a pool whose `contacts` is a view that takes 400 ms: the list's read
// (a conversation with its contact) is slow, the thread's read (messages) is not.
const slow = `slow_${randomUUID().replaceAll("-", "")}`;
await sql.unsafe(`create schema ${slow}`);
await sql.unsafe(`create view ${slow}.contacts as select c.* from public.contacts c, pg_sleep(0.4)`);
const sidecar = createDb(process.env.DATABASE_URL!, { max: 4, connection: { search_path: `${slow}, public` } });
const server = createRealtimeServer({ db: sidecar.db, sql, secret: TEST_SECRET, corsOrigin: "*" });
let client: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
let port = 0;

afterAll(async () => {
  client?.disconnect();
  await server.close();
  await sidecar.sql.end({ timeout: 5 });
  await sql.unsafe(`drop schema ${slow} cascade`);
});

/** A socket of a new admin, connected. */
async function connectAdmin() {
  const admin = await createUser(db);
  const token = await mintRealtimeToken({ userId: admin.id, sessionVersion: admin.sessionVersion, secret: TEST_SECRET });
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(`http://127.0.0.1:${port}`, {
    auth: { token },
    transports: ["websocket"],
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

async function applyText(
  number: { phoneNumberId: string; wabaId: string; displayPhoneNumber: string },
  from: string,
  text: string,
) {
  const body = textMessage(number, { from, name: "Customer", wamid: newWamid(), text });
  const { eventId } = await receiveWebhook({ ctx, input: { raw: Buffer.from(toMetaJson(body)) } });
  await processWebhookEvents({ ctx, input: { eventIds: [eventId!] } });
}

/** A new number's conversation, opened by a customer's text: the number, the customer, the conversation. */
async function openConversation(text: string) {
  const number = await createNumber(db, { onboardedAt: new Date(Date.now() - 60_000) });
  const customer = newWaId();
  await applyText(number, customer, text);
  const [watched] = await sql<{ id: string }[]>`
    select c.id from conversations c join contacts k on k.id = c.contact_id
    where c.number_id = ${number.id} and k.wa_id = ${customer}`;
  return { number, customer, watched: watched! };
}

/** Waits until `done`, for at most 5 s (the assertions after it say what did not come). */
async function until(done: () => boolean) {
  const deadline = Date.now() + 5_000;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

describe("the realtime sidecar relaying a message to its open thread", () => {
  it("sends the message as soon as it is read, without waiting for the list's read of its conversation", async () => {
    ({ port } = await server.listen(0, "127.0.0.1"));
    const { number, customer, watched } = await openConversation("hello");

    client = await connectAdmin();
    const arrived: { name: string; at: number; body?: string; unread?: number }[] = [];
    client.on("message:changed", (n) => arrived.push({ name: "message", at: Date.now(), body: n.message?.body ?? undefined }));
    client.on("conversation:changed", (n) =>
      arrived.push({ name: "conversation", at: Date.now(), unread: n.conversation?.unreadCount }),
    );
    expect(await client.timeout(5_000).emitWithAck("conversation:watch", watched.id)).toEqual({ ok: true });

    await applyText(number, customer, "second");
    await until(() => arrived.some((e) => e.name === "conversation"));
    // The message first, with its content; its conversation, with both texts counted, once the list's read answers.
    expect(arrived.map(({ at: _, ...e }) => e)).toEqual([
      { name: "message", body: "second" },
      { name: "conversation", unread: 2 },
    ]);
    expect(arrived[1]!.at - arrived[0]!.at).toBeGreaterThan(250);
  });

  it("sends the next commit's message while the list's read of the one before is still running", async () => {
    const { number, customer, watched } = await openConversation("first");
    // A new socket: the first one's admin had its numbers read before this number existed.
    client?.disconnect();
    client = await connectAdmin();
    expect(await client.timeout(5_000).emitWithAck("conversation:watch", watched.id)).toEqual({ ok: true });
    const arrived: { name: string; at: number; body?: string; unread?: number }[] = [];
    client.on("message:changed", (n) => {
      if (n.conversationId === watched.id) arrived.push({ name: "message", at: Date.now(), body: n.message?.body ?? undefined });
    });
    client.on("conversation:changed", (n) => {
      if (n.conversationId === watched.id)
        arrived.push({ name: "conversation", at: Date.now(), unread: n.conversation?.unreadCount });
    });
    await applyText(number, customer, "second");
    await until(() => arrived.some((e) => e.body === "second"));
    // The list's read of "second" takes 400 ms from here; "third" commits meanwhile.
    await applyText(number, customer, "third");
    const committed = Date.now();
    await until(() => arrived.some((e) => e.body === "third"));
    const third = arrived.find((e) => e.body === "third");
    expect(third, "the third message never came").toBeDefined();
    expect(third!.at - committed, "the message waited for the list's read of the commit before").toBeLessThan(250);

    // Each conversation notice still follows its messages, and the last one counts all three.
    await until(() => arrived.filter((e) => e.name === "conversation").at(-1)?.unread === 3);
    expect(arrived.filter((e) => e.name === "conversation").at(-1)?.unread).toBe(3);
    expect(arrived.findIndex((e) => e.name === "conversation")).toBeGreaterThan(arrived.findIndex((e) => e.body === "second"));
  });
});
