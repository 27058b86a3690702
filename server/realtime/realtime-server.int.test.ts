import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectTestDatabase } from "@/db/testing/database";
import { createAgent, createConversation, createNumber, createUser, ctxAs, TEST_SECRET } from "@/db/testing/factories";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/events";
import { notifyChange } from "@/lib/realtime/notify";
import { mintRealtimeToken } from "@/lib/realtime/token";
import { addNote } from "@/lib/services/notes/add-note";
import { resetPassword } from "@/lib/services/users/set-password";
import { updateMember } from "@/lib/services/users/update-member";
import { createRealtimeServer } from "./create-realtime-server";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
type EventName = keyof ServerToClientEvents;

const { db, sql } = connectTestDatabase();
const server = createRealtimeServer({ db, sql, secret: TEST_SECRET, corsOrigin: "*" });
let url = "";
const clients: Client[] = [];

beforeAll(async () => {
  const { port } = await server.listen(0, "127.0.0.1");
  url = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server.close();
});

/** Every event a client received, in order, so tests can assert what did and did not arrive. */
type Recorder = { client: Client; events: { name: EventName; payload: unknown }[] };

function open(token: string | undefined): Promise<Recorder> {
  const client: Client = connect(url, {
    transports: ["websocket"],
    auth: token === undefined ? {} : { token },
    reconnection: false,
    forceNew: true,
  });
  clients.push(client);
  const recorder: Recorder = { client, events: [] };
  client.onAny((name: EventName, payload: unknown) => recorder.events.push({ name, payload }));
  return new Promise((resolve, reject) => {
    client.once("connect", () => resolve(recorder));
    client.once("connect_error", reject);
  });
}

const tokenFor = (user: { id: string; sessionVersion: number }) =>
  mintRealtimeToken({ userId: user.id, sessionVersion: user.sessionVersion, secret: TEST_SECRET });

/** Resolves with the first recorded event matching, waiting for it if needed. */
function nextEvent(recorder: Recorder, name: EventName, match: (payload: never) => boolean = () => true, timeoutMs = 5_000) {
  const seen = recorder.events.find((e) => e.name === name && match(e.payload as never));
  if (seen) return Promise.resolve(seen.payload);
  return new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} within ${timeoutMs} ms`)), timeoutMs);
    const listener = (event: EventName, payload: unknown) => {
      if (event !== name || !match(payload as never)) return;
      clearTimeout(timer);
      recorder.client.offAny(listener);
      resolve(payload);
    };
    recorder.client.onAny(listener);
  });
}

const conversationEvent = (conversationId: string) => (n: { conversationId: string }) => n.conversationId === conversationId;

/**
 * Announces a change on `silent` then on `marker`: notices arrive in commit order on one LISTEN
 * connection, so once the marker's event is in, the silent one would already have been too.
 */
async function expectOnlyMarker(
  recorder: Recorder,
  silent: { numberId: string; id: string },
  marker: { numberId: string; id: string },
) {
  await notifyChange(db, { type: "conversation", numberId: silent.numberId, conversationId: silent.id });
  await notifyChange(db, { type: "conversation", numberId: marker.numberId, conversationId: marker.id });
  await nextEvent(recorder, "conversation:changed", conversationEvent(marker.id));
  expect(
    recorder.events.filter(
      (e) => e.name !== "presence:changed" && (e.payload as { conversationId?: string })?.conversationId === silent.id,
    ),
  ).toEqual([]);
}

const watch = (recorder: Recorder, conversationId: unknown) =>
  recorder.client.timeout(5_000).emitWithAck("conversation:watch", conversationId as string);

describe("realtime sidecar", () => {
  it("refuses a socket without a token, with a forged or expired token, or for an unknown user", async () => {
    const user = await createUser(db);
    await expect(open(undefined)).rejects.toThrow("unauthorized");
    await expect(open("not-a-token")).rejects.toThrow("unauthorized");
    const forged = await mintRealtimeToken({ userId: user.id, sessionVersion: 0, secret: "another-secret-0123456789" });
    await expect(open(forged)).rejects.toThrow("unauthorized");
    const expired = await mintRealtimeToken({ userId: user.id, sessionVersion: 0, secret: TEST_SECRET, ttlSeconds: -10 });
    await expect(open(expired)).rejects.toThrow("unauthorized");
    const stranger = await mintRealtimeToken({ userId: crypto.randomUUID(), sessionVersion: 0, secret: TEST_SECRET });
    await expect(open(stranger)).rejects.toThrow("unauthorized");
    await expect(open(await tokenFor(user))).resolves.toBeTruthy();
  });

  it("refuses a deactivated user, and a token minted before a password reset", async () => {
    const admin = await createUser(db);
    const inactive = await createAgent(db, [], { isActive: false });
    await expect(open(await tokenFor(inactive))).rejects.toThrow("unauthorized");

    const agent = await createAgent(db, []);
    const before = await tokenFor(agent);
    await resetPassword({ ctx: ctxAs(db, admin), input: { userId: agent.id, password: "a brand new password" } });
    await expect(open(before)).rejects.toThrow("unauthorized");
    await expect(open(await tokenFor({ id: agent.id, sessionVersion: agent.sessionVersion + 1 }))).resolves.toBeTruthy();
  });

  it("relays a number's changes only to members of that number", async () => {
    const [mine, theirs] = [await createNumber(db), await createNumber(db)];
    const [inMine, inTheirs] = [
      await createConversation(db, { numberId: mine.id }),
      await createConversation(db, { numberId: theirs.id }),
    ];
    const agent = await open(await tokenFor(await createAgent(db, [mine.id])));
    await expectOnlyMarker(agent, inTheirs, inMine);
  });

  it("an admin's open socket follows a number connected after it opened; an agent's does not", async () => {
    const adminTab = await open(await tokenFor(await createUser(db)));
    const agentTab = await open(await tokenFor(await createAgent(db, [])));
    const fresh = await createNumber(db);
    const conversation = await createConversation(db, { numberId: fresh.id });
    await notifyChange(db, { type: "number", numberId: fresh.id });
    await notifyChange(db, { type: "conversation", numberId: fresh.id, conversationId: conversation.id });
    await nextEvent(adminTab, "conversation:changed", conversationEvent(conversation.id));
    expect(agentTab.events.filter((e) => e.name === "conversation:changed" || e.name === "number:changed")).toEqual([]);
  });

  it("lets a socket watch only conversations of its numbers, and sends message changes to watchers", async () => {
    const [mine, theirs] = [await createNumber(db), await createNumber(db)];
    const [inMine, inTheirs] = [
      await createConversation(db, { numberId: mine.id }),
      await createConversation(db, { numberId: theirs.id }),
    ];
    const agent = await open(await tokenFor(await createAgent(db, [mine.id])));
    expect(await watch(agent, inTheirs.id)).toEqual({ ok: false, error: "NOT_FOUND" });
    expect(await watch(agent, "not-a-uuid")).toEqual({ ok: false, error: "NOT_FOUND" });
    expect(await watch(agent, { $ne: null })).toEqual({ ok: false, error: "NOT_FOUND" });
    expect(await watch(agent, inMine.id)).toEqual({ ok: true });
    const messageId = crypto.randomUUID();
    await notifyChange(db, { type: "message", numberId: mine.id, conversationId: inMine.id, messageId });
    await expect(
      nextEvent(agent, "message:changed", (n: { messageId: string }) => n.messageId === messageId),
    ).resolves.toMatchObject({
      conversationId: inMine.id,
    });
  });

  it("a revoked number stops reaching an open socket at once, its watched thread included; a grant starts it", async () => {
    const admin = await createUser(db);
    const [kept, revoked] = [await createNumber(db), await createNumber(db)];
    const [inKept, inRevoked] = [
      await createConversation(db, { numberId: kept.id }),
      await createConversation(db, { numberId: revoked.id }),
    ];
    const agentUser = await createAgent(db, [kept.id, revoked.id]);
    const agent = await open(await tokenFor(agentUser));
    expect(await watch(agent, inRevoked.id)).toEqual({ ok: true });

    await updateMember({ ctx: ctxAs(db, admin), input: { userId: agentUser.id, numberIds: [kept.id] } });
    await nextEvent(agent, "access:changed");
    await expectOnlyMarker(agent, inRevoked, inKept);
    const messageId = crypto.randomUUID();
    await notifyChange(db, { type: "message", numberId: revoked.id, conversationId: inRevoked.id, messageId });
    await notifyChange(db, { type: "conversation", numberId: kept.id, conversationId: inKept.id });
    await nextEvent(agent, "conversation:changed", conversationEvent(inKept.id));
    expect(agent.events.filter((e) => e.name === "message:changed")).toEqual([]);
    expect(await watch(agent, inRevoked.id)).toEqual({ ok: false, error: "NOT_FOUND" });

    agent.events.length = 0;
    await updateMember({ ctx: ctxAs(db, admin), input: { userId: agentUser.id, numberIds: [kept.id, revoked.id] } });
    await nextEvent(agent, "access:changed");
    await notifyChange(db, { type: "conversation", numberId: revoked.id, conversationId: inRevoked.id });
    await nextEvent(agent, "conversation:changed", conversationEvent(inRevoked.id));
  });

  it("deactivating a user ends every open socket of theirs at once, and only theirs", async () => {
    const admin = await createUser(db);
    const number = await createNumber(db);
    const agentUser = await createAgent(db, [number.id]);
    const colleague = await open(await tokenFor(await createAgent(db, [number.id])));
    const tabs = [await open(await tokenFor(agentUser)), await open(await tokenFor(agentUser))];
    const closed = tabs.map((tab) => new Promise((resolve) => tab.client.once("disconnect", resolve)));

    await updateMember({ ctx: ctxAs(db, admin), input: { userId: agentUser.id, isActive: false } });
    await Promise.all(closed);
    for (const tab of tabs) expect(tab.events.map((e) => e.name)).toContain("session:ended");
    expect(colleague.client.connected).toBe(true);
  });

  it("a password reset ends the open sockets of that user", async () => {
    const admin = await createUser(db);
    const agentUser = await createAgent(db, []);
    const tab = await open(await tokenFor(agentUser));
    const closed = new Promise((resolve) => tab.client.once("disconnect", resolve));
    await resetPassword({ ctx: ctxAs(db, admin), input: { userId: agentUser.id, password: "another good password" } });
    await closed;
    expect(tab.events.map((e) => e.name)).toContain("session:ended");
  });

  it("viewers of one conversation see each other arrive, type and leave; others see nothing", async () => {
    const number = await createNumber(db);
    const other = await createNumber(db);
    const conversation = await createConversation(db, { numberId: number.id });
    const ada = await createAgent(db, [number.id], { name: "Ada" });
    const bo = await createAgent(db, [number.id], { name: "Bo" });
    const outsiderUser = await createAgent(db, [other.id], { name: "Eve" });
    const [a, b, outsider] = [
      await open(await tokenFor(ada)),
      await open(await tokenFor(bo)),
      await open(await tokenFor(outsiderUser)),
    ];

    expect(await watch(a, conversation.id)).toEqual({ ok: true });
    expect(await watch(b, conversation.id)).toEqual({ ok: true });
    // Ada learns Bo arrived; Bo, the newcomer, learns Ada was already there.
    await nextEvent(a, "presence:changed", (n: { userId: string; state: string }) => n.userId === bo.id && n.state === "viewing");
    await nextEvent(
      b,
      "presence:changed",
      (n: { userId: string; state: string }) => n.userId === ada.id && n.state === "viewing",
    );

    expect(
      await b.client.timeout(5_000).emitWithAck("conversation:typing", { conversationId: conversation.id, isTyping: true }),
    ).toEqual({
      ok: true,
    });
    await expect(
      nextEvent(a, "presence:changed", (n: { userId: string; state: string }) => n.userId === bo.id && n.state === "typing"),
    ).resolves.toMatchObject({ name: "Bo", conversationId: conversation.id });

    // A note for the team is told apart from a reply to the customer.
    expect(
      await b.client
        .timeout(5_000)
        .emitWithAck("conversation:typing", { conversationId: conversation.id, isTyping: true, isNote: true }),
    ).toEqual({ ok: true });
    await expect(
      nextEvent(a, "presence:changed", (n: { userId: string; state: string }) => n.userId === bo.id && n.state === "typing_note"),
    ).resolves.toMatchObject({ name: "Bo", conversationId: conversation.id });

    // Presence is scoped like everything else: no typing into a conversation one may not watch.
    for (const isNote of [false, true])
      expect(
        await outsider.client
          .timeout(5_000)
          .emitWithAck("conversation:typing", { conversationId: conversation.id, isTyping: true, isNote }),
      ).toEqual({ ok: false, error: "NOT_FOUND" });
    expect(await outsider.client.timeout(5_000).emitWithAck("conversation:typing", { conversationId: 42 } as never)).toEqual({
      ok: false,
      error: "VALIDATION",
    });

    b.client.disconnect();
    await nextEvent(a, "presence:changed", (n: { userId: string; state: string }) => n.userId === bo.id && n.state === "left");
    expect(outsider.events.filter((e) => e.name === "presence:changed")).toEqual([]);
  });

  it("relays activity to the members of its number", async () => {
    const [mine, theirs] = [await createNumber(db), await createNumber(db)];
    const [inMine, inTheirs] = [
      await createConversation(db, { numberId: mine.id }),
      await createConversation(db, { numberId: theirs.id }),
    ];
    const agentUser = await createAgent(db, [mine.id]);
    const agent = await open(await tokenFor(agentUser));
    const activity = (c: { id: string; numberId: string }) =>
      notifyChange(db, {
        type: "activity",
        numberId: c.numberId,
        conversationId: c.id,
        kind: "assigned",
        assigneeId: agentUser.id,
        actorId: null,
      });
    await activity(inTheirs);
    await activity(inMine);
    await expect(nextEvent(agent, "conversation:activity")).resolves.toEqual({
      numberId: mine.id,
      conversationId: inMine.id,
      kind: "assigned",
      assigneeId: agentUser.id,
      actorId: null,
    });
    expect(agent.events.filter((e) => e.name === "conversation:activity")).toHaveLength(1);
  });
  it("a note reaches the thread's viewers and a mention reaches the number's members, never another number's", async () => {
    const [number, other] = [await createNumber(db), await createNumber(db)];
    const conversation = await createConversation(db, { numberId: number.id });
    const writer = await createAgent(db, [number.id], { name: "Wren Writer" });
    const mentionedUser = await createAgent(db, [number.id], { name: "Milo Mentioned" });
    const [mentioned, outsider] = [
      await open(await tokenFor(mentionedUser)),
      await open(await tokenFor(await createAgent(db, [other.id]))),
    ];
    expect(await watch(mentioned, conversation.id)).toEqual({ ok: true });
    expect(await watch(outsider, conversation.id)).toEqual({ ok: false, error: "NOT_FOUND" });

    const { messageId } = await addNote({
      ctx: ctxAs(db, writer),
      input: { conversationId: conversation.id, clientKey: crypto.randomUUID(), text: "@Milo Mentioned please call them" },
    });
    await expect(
      nextEvent(mentioned, "message:changed", (n: { messageId: string }) => n.messageId === messageId),
    ).resolves.toMatchObject({ message: { origin: "note", authorName: "Wren Writer" } });
    await expect(nextEvent(mentioned, "conversation:activity")).resolves.toMatchObject({
      kind: "mention",
      conversationId: conversation.id,
      actorId: writer.id,
      mentionedIds: [mentionedUser.id],
    });
    await expectOnlyMarker(outsider, conversation, await createConversation(db, { numberId: other.id }));
  });
});
