import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { contacts, conversations, mediaAssets, messages, numbers } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createUser, newWamid, TEST_SECRET } from "@/db/testing/factories";
import { newClientKey } from "@/lib/client/client-key";
import { demoApp } from "@/lib/demo";
import { createDiskStorage } from "@/lib/media/storage";
import { listConversationsForUser } from "@/lib/services/conversations/list-conversations";
import { downloadMedia } from "@/lib/services/media/download-media";
import { deliverMessage } from "@/lib/services/messages/deliver-message";
import { listThreadMessages } from "@/lib/services/messages/list-thread-messages";
import { queueOutbound, sendMessage } from "@/lib/services/messages/send-message";
import { sendReaction } from "@/lib/services/messages/send-reaction";
import { settleFailedMessage } from "@/lib/services/messages/settle-failed-message";
import { completeOnboarding } from "@/lib/services/onboarding/complete-onboarding";
import { startOnboarding } from "@/lib/services/onboarding/start-onboarding";
import { processWebhookEvents } from "@/lib/services/webhooks/process-webhook-events";
import { receiveWebhook } from "@/lib/services/webhooks/receive-webhook";
import { change, inboundMessage } from "@/lib/whatsapp/fixtures/build";
import { createGraphClient } from "@/lib/whatsapp/graph-client";
import { createOnboardingGraph } from "@/lib/whatsapp/graph-onboarding";
import { describeSendError } from "@/lib/whatsapp/send-errors";
import { toMetaJson } from "@/lib/whatsapp/signature";
import { startSendHarness } from "./send-harness";

/**
 * The send path acting as an agent, over real HTTP to the Meta sandbox: idempotency, the window,
 * each class of Graph error, unknown outcomes, BSUID recipients, order and lifecycle pauses.
 */
const handle = connectTestDatabase();
const { db } = handle;
const harnesses: Awaited<ReturnType<typeof startSendHarness>>[] = [];
afterAll(async () => {
  for (const h of harnesses) await h.close();
});

async function harness(options: Parameters<typeof startSendHarness>[1] = {}) {
  const h = await startSendHarness(handle, options);
  harnesses.push(h);
  return h;
}

const messageRow = async (id: string) => (await db.select().from(messages).where(eq(messages.id, id)))[0]!;

async function until<T>(check: () => Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const phoneThread = async (url: string, waId: string) =>
  (
    (await (await fetch(`${url}/phone/api/thread?waId=${waId}`)).json()) as {
      messages: { from: string; text: string; wamid: string; businessReaction?: string | null }[];
    }
  ).messages;

describe("sending as an agent", () => {
  it("an idempotency key used twice makes one message, and the same key on another conversation is refused", async () => {
    const h = await harness();
    const { conversation } = await h.customerWrites();
    const { conversation: other } = await h.customerWrites("Another customer");
    const clientKey = newClientKey();
    const first = await sendMessage({
      ctx: h.agentCtx,
      input: { conversationId: conversation.id, clientKey, text: "On its way" },
    });
    const again = await sendMessage({
      ctx: h.agentCtx,
      input: { conversationId: conversation.id, clientKey, text: "On its way" },
    });
    expect(again).toEqual({ messageId: first.messageId, duplicate: true });
    await expect(
      sendMessage({ ctx: h.agentCtx, input: { conversationId: other.id, clientKey, text: "On its way" } }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db.select().from(messages).where(eq(messages.clientKey, clientKey))).toHaveLength(1);
  });

  it("a number the agent was not granted looks like a missing conversation", async () => {
    const h = await harness();
    const other = await harness();
    const { conversation } = await other.customerWrites();
    await expect(
      sendMessage({ ctx: h.agentCtx, input: { conversationId: conversation.id, clientKey: newClientKey(), text: "Hi" } }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a disconnected number refuses to queue a reply", async () => {
    const h = await harness();
    const { conversation } = await h.customerWrites();
    await db.update(numbers).set({ state: "disconnected" }).where(eq(numbers.id, h.number.id));
    await expect(
      sendMessage({ ctx: h.agentCtx, input: { conversationId: conversation.id, clientKey: newClientKey(), text: "Hi" } }),
    ).rejects.toMatchObject({ code: "NUMBER_UNAVAILABLE" });
  });

  it("free text is refused with WINDOW_CLOSED and its reason: never opened, expired, in the last two minutes", async () => {
    const h = await harness();
    const { conversation, waId } = await h.customerWrites();
    const send = (text: string) =>
      sendMessage({ ctx: h.agentCtx, input: { conversationId: conversation.id, clientKey: newClientKey(), text } });
    const wroteAt = (ms: number) =>
      db
        .update(conversations)
        .set({ lastCustomerMessageAt: new Date(Date.now() - ms) })
        .where(eq(conversations.id, conversation.id));

    await wroteAt(25 * 3600_000);
    await expect(send("Late")).rejects.toMatchObject({
      code: "WINDOW_CLOSED",
      message: expect.stringMatching(/last wrote 25 h ago/),
    });
    await wroteAt(24 * 3600_000 - 60_000);
    await expect(send("Just in time?")).rejects.toMatchObject({
      code: "WINDOW_CLOSED",
      message: expect.stringMatching(/two minutes/),
    });
    await db.update(conversations).set({ lastCustomerMessageAt: null }).where(eq(conversations.id, conversation.id));
    await expect(send("Never")).rejects.toMatchObject({
      code: "WINDOW_CLOSED",
      message: expect.stringMatching(/has not written since/),
    });
    // The customer writes again: the window renews.
    await h.customerWrites("Back again", waId);
    await expect(send("Welcome back")).resolves.toMatchObject({ duplicate: false });
  });

  it("a window renewed by the customer allows text, and one that expires while the message waits fails it with the reason", async () => {
    const h = await harness();
    const { conversation } = await h.customerWrites();
    const { messageId } = await sendMessage({
      ctx: h.agentCtx,
      input: { conversationId: conversation.id, clientKey: newClientKey(), text: "Checking now" },
    });
    // The worker picks the job up a day later (a controllable clock, not a 24-hour wait).
    const later = () => new Date(Date.now() + 24 * 3600_000 + 1000);
    const outcome = await deliverMessage({ ctx: h.sendCtx, input: { messageId, graph: h.graph, now: later } });
    expect(outcome.status).toBe("failed");
    const row = await messageRow(messageId);
    expect(row.error).toMatchObject({ code: 131047, title: describeSendError(131047).sentence });
    expect(row.error?.details).toMatch(/last wrote 24 h ago/);
    expect(h.sandbox.limits.attempts()).toHaveLength(0);
  });

  it("throughput and pair-limit errors are retried and end delivered; other errors fail with the explanation", async () => {
    const h = await harness();
    const { conversation } = await h.customerWrites();
    const { messageId } = await sendMessage({
      ctx: h.agentCtx,
      input: { conversationId: conversation.id, clientKey: newClientKey(), text: "Your order shipped" },
    });
    h.sandbox.limits.injectFault(130429, 1);
    const first = await deliverMessage({ ctx: h.sendCtx, input: { messageId, graph: h.graph } });
    expect(first.status).toBe("retry");
    expect((await messageRow(messageId)).status).toBe("queued");
    const second = await deliverMessage({ ctx: h.sendCtx, input: { messageId, graph: h.graph } });
    expect(second.status).toBe("accepted");
    await until(async () => (await messageRow(messageId)).status === "read");

    const { conversation: c2 } = await h.customerWrites("Where is it?");
    const failing = await sendMessage({
      ctx: h.agentCtx,
      input: { conversationId: c2.id, clientKey: newClientKey(), text: "Let me check" },
    });
    h.sandbox.limits.injectFault(131026, 1);
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId: failing.messageId, graph: h.graph } })).status).toBe(
      "failed",
    );
    expect((await messageRow(failing.messageId)).error).toMatchObject({
      code: 131026,
      title: describeSendError(131026).sentence,
    });

    // Retry answers with the bubble as queued again (for the page to redraw alone), and it goes out.
    const retried = await settleFailedMessage({ ctx: h.agentCtx, input: { messageId: failing.messageId, action: "retry" } });
    expect(retried).toMatchObject({ status: "queued", message: { id: failing.messageId, status: "queued", error: null } });
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId: failing.messageId, graph: h.graph } })).status).toBe(
      "accepted",
    );
    // What WhatsApp accepted is not the agent's to retry or discard any more.
    await expect(
      settleFailedMessage({ ctx: h.agentCtx, input: { messageId: failing.messageId, action: "discard" } }),
    ).rejects.toMatchObject({ code: "CONFLICT" });

    const dropped = await sendMessage({
      ctx: h.agentCtx,
      input: { conversationId: c2.id, clientKey: newClientKey(), text: "Never mind" },
    });
    h.sandbox.limits.injectFault(131026, 1);
    await deliverMessage({ ctx: h.sendCtx, input: { messageId: dropped.messageId, graph: h.graph } });
    expect(await settleFailedMessage({ ctx: h.agentCtx, input: { messageId: dropped.messageId, action: "discard" } })).toEqual({
      messageId: dropped.messageId,
      status: "discarded",
      message: null,
    });
    expect(await db.select().from(messages).where(eq(messages.id, dropped.messageId))).toEqual([]);
  });

  it("a pair-limit error and a request that never left are retried; a 131047 answer fails the message and closes the window", async () => {
    const h = await harness();
    // Each case writes to its own customer, so Tandem's own per-recipient pacing stays out of the way.
    const send = async (text: string) => {
      const { conversation } = await h.customerWrites();
      const { messageId } = await sendMessage({
        ctx: h.agentCtx,
        input: { conversationId: conversation.id, clientKey: newClientKey(), text },
      });
      return messageId;
    };

    // 131056: Meta's advice is to back off 4^x seconds; nothing was sent, so it is retried.
    const paced = await send("Your parcel is ready");
    h.sandbox.limits.injectFault(131056, 1);
    const backoff = await deliverMessage({ ctx: h.sendCtx, input: { messageId: paced, graph: h.graph } });
    expect(backoff).toMatchObject({ status: "retry" });
    expect((backoff as { runAt: Date }).runAt.getTime() - Date.now()).toBeGreaterThan(3000);
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId: paced, graph: h.graph } })).status).toBe("accepted");

    // Connection refused: the request never left, so it is retried (and nothing reached the phone).
    const unreachable = await send("Are you there?");
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const deadGraph = createGraphClient({ baseUrl: `http://127.0.0.1:${port}`, version: "v24.0" });
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId: unreachable, graph: deadGraph } })).status).toBe("retry");
    expect((await messageRow(unreachable)).status).toBe("queued");
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId: unreachable, graph: h.graph } })).status).toBe("accepted");

    // 131047 in the answer itself: failed with the explanation, and Tandem's window closes.
    const late = await send("One more thing");
    h.sandbox.limits.injectFault(131047, 1);
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId: late, graph: h.graph } })).status).toBe("failed");
    expect((await messageRow(late)).error).toMatchObject({ code: 131047, title: "Window closed: send a template." });
    const { conversationId } = await messageRow(late);
    await expect(
      sendMessage({ ctx: h.agentCtx, input: { conversationId, clientKey: newClientKey(), text: "And another" } }),
    ).rejects.toMatchObject({ code: "WINDOW_CLOSED", message: expect.stringMatching(/131047/) });
  });

  it("the conversation list row of a failed message carries its error, until the customer writes again", async () => {
    const h = await harness();
    const { conversation, waId } = await h.customerWrites();
    const { messageId } = await sendMessage({
      ctx: h.agentCtx,
      input: { conversationId: conversation.id, clientKey: newClientKey(), text: "Let me check" },
    });
    h.sandbox.limits.injectFault(131026, 1);
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId, graph: h.graph } })).status).toBe("failed");
    const row = async () =>
      (
        await listConversationsForUser({ ctx: h.agentCtx, input: { numberId: h.number.id, view: "all", limit: 50 } })
      ).conversations.find((c) => c.id === conversation.id)!;
    expect((await row()).lastFailure).toMatchObject({ code: 131026, title: describeSendError(131026).sentence });
    // Meta's timestamps are whole seconds: the customer's answer comes a second later to sort after it.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await h.customerWrites("Any news?", waId);
    expect((await row()).lastFailure).toBeNull();
  });

  it("a 190 token error pauses the number instead of failing the message", async () => {
    const h = await harness();
    const { conversation } = await h.customerWrites();
    const { messageId } = await sendMessage({
      ctx: h.agentCtx,
      input: { conversationId: conversation.id, clientKey: newClientKey(), text: "Hi" },
    });
    h.sandbox.limits.injectFault(190, 1);
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId, graph: h.graph } })).status).toBe("paused");
    expect((await messageRow(messageId)).status).toBe("queued");
    expect((await db.select().from(numbers).where(eq(numbers.id, h.number.id)))[0]?.tokenInvalidAt).not.toBeNull();
  });

  it("after a 190, connecting the number again with a new token resumes its paused sends and media downloads", async () => {
    const h = await harness();
    const { conversation, waId } = await h.customerWrites();
    const { messageId } = await sendMessage({
      ctx: h.agentCtx,
      input: { conversationId: conversation.id, clientKey: newClientKey(), text: "Sent before the token died" },
    });
    h.sandbox.limits.injectFault(190, 1);
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId, graph: h.graph } })).status).toBe("paused");
    const tokenInvalidAt = async () => (await db.select().from(numbers).where(eq(numbers.id, h.number.id)))[0]!.tokenInvalidAt;
    expect(await tokenInvalidAt()).not.toBeNull();

    // A photo arrives meanwhile: its download waits for the token too.
    await fetch(`${h.sandboxUrl}/phone/api/messages/photo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ waId, caption: "The box arrived damaged", seed: 7 }),
    });
    const [asset] = await db.select().from(mediaAssets).where(eq(mediaAssets.numberId, h.number.id));
    const storageDir = await mkdtemp(path.join(tmpdir(), "tandem-resume-"));
    const storage = createDiskStorage(storageDir);
    await downloadMedia({ ctx: h.sendCtx, input: { assetId: asset!.id, graph: h.graph, storage } });
    expect((await db.select().from(mediaAssets).where(eq(mediaAssets.id, asset!.id)))[0]!.state).toBe("pending");
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId, graph: h.graph } })).status).toBe("paused");

    // The admin connects the number again through Embedded Signup (the sandbox's popup, then Tandem's completion).
    const admin = await createUser(db, { role: "admin" });
    const adminCtx = {
      db,
      actor: { kind: "user" as const, userId: admin.id, role: "admin" as const, name: admin.name },
      secret: TEST_SECRET,
    };
    const { state } = await startOnboarding({ ctx: adminCtx, input: {} });
    const finished = (await (
      await fetch(`${h.sandboxUrl}/embedded-signup/api/finish`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          ...demoApp,
          number: { kind: "existing", phoneNumberId: h.number.phoneNumberId },
          historyChoice: "decline",
        }),
      })
    ).json()) as { code: string; wabaId: string };
    const graph = createOnboardingGraph({ baseUrl: h.sandboxUrl, version: "v24.0", ...demoApp, appSecret: "send-test-secret" });
    await completeOnboarding({
      ctx: adminCtx,
      input: { state, code: finished.code, wabaId: finished.wabaId, phoneNumberId: h.number.phoneNumberId, graph },
    });
    expect(await tokenInvalidAt()).toBeNull();
    const jobs = await db.execute<{ key: string }>(
      sql`select key from graphile_worker.jobs where key in (${`send:${messageId}`}, ${`media:${asset!.id}`})`,
    );
    expect(jobs.map((j) => j.key).sort()).toEqual([`media:${asset!.id}`, `send:${messageId}`].sort());

    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId, graph: h.graph } })).status).toBe("accepted");
    await downloadMedia({ ctx: h.sendCtx, input: { assetId: asset!.id, graph: h.graph, storage } });
    expect((await db.select().from(mediaAssets).where(eq(mediaAssets.id, asset!.id)))[0]!.state).toBe("stored");
    expect((await phoneThread(h.sandboxUrl, waId)).some((m) => m.text === "Sent before the token died")).toBe(true);
    await rm(storageDir, { recursive: true, force: true });
  });

  it("a send whose answer times out after Meta accepted it is not resent: one message on the phone, confirmed by its status", async () => {
    const h = await harness({ sendTimeoutMs: 150 });
    const { conversation, waId } = await h.customerWrites();
    const { messageId } = await sendMessage({
      ctx: h.agentCtx,
      input: { conversationId: conversation.id, clientKey: newClientKey(), text: "Only once, please" },
    });
    h.sandbox.limits.holdNextResponse(600);
    const outcome = await deliverMessage({ ctx: h.sendCtx, input: { messageId, graph: h.graph } });
    expect(outcome.status).toBe("unconfirmed");
    // Running the job again (a crashed worker, a retry) sends nothing.
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId, graph: h.graph } })).status).toBe("skipped");
    const confirmed = await until(async () => {
      const row = await messageRow(messageId);
      return row.wamid && row.status !== "unconfirmed" ? row : false;
    });
    expect(confirmed.error).toBeNull();
    const onPhone = (await phoneThread(h.sandboxUrl, waId)).filter((m) => m.text === "Only once, please");
    expect(onPhone).toHaveLength(1);
    expect(h.sandbox.limits.attempts().filter((a) => a.outcome === "accepted")).toHaveLength(1);
  });

  it("a reply to a customer known only by a business-scoped user id goes in recipient", async () => {
    const h = await harness();
    const { conversation } = await h.customerWrites();
    const bsuid = `US.${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    // The contact as a username adopter looks: no phone number, only the BSUID.
    await db.update(contacts).set({ waId: null, userId: bsuid }).where(eq(contacts.id, conversation.contactId));
    const { messageId } = await sendMessage({
      ctx: h.agentCtx,
      input: { conversationId: conversation.id, clientKey: newClientKey(), text: "Hi" },
    });
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId, graph: h.graph } })).status).toBe("accepted");
    expect(h.sandbox.limits.attempts().at(-1)).toMatchObject({ recipient: bsuid, outcome: "accepted" });
  });

  it("a failed attempt holds the later messages of the conversation until it is retried", async () => {
    const h = await harness();
    const { conversation } = await h.customerWrites();
    const send = (text: string) =>
      sendMessage({ ctx: h.agentCtx, input: { conversationId: conversation.id, clientKey: newClientKey(), text } });
    const first = await send("First");
    const second = await send("Second");
    h.sandbox.limits.injectFault(130429, 1);
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId: first.messageId, graph: h.graph } })).status).toBe(
      "retry",
    );
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId: second.messageId, graph: h.graph } })).status).toBe(
      "held",
    );
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId: first.messageId, graph: h.graph } })).status).toBe(
      "accepted",
    );
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId: second.messageId, graph: h.graph } })).status).toBe(
      "accepted",
    );
    const accepted = h.sandbox.limits.attempts().filter((a) => a.outcome === "accepted");
    expect(accepted.map((a) => a.wamid)).toEqual([
      (await messageRow(first.messageId)).wamid,
      (await messageRow(second.messageId)).wamid,
    ]);
  });

  it("replies queued on an offboarded number wait, and leave when it reconnects", async () => {
    const h = await harness();
    const { conversation, waId } = await h.customerWrites();
    const lifecycle = (event: string) =>
      fetch(`${h.sandboxUrl}/sandbox/api/lifecycle`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ event }),
      });
    await lifecycle("ACCOUNT_OFFBOARDED");
    await until(async () => (await db.select().from(numbers).where(eq(numbers.id, h.number.id)))[0]?.state === "offboarded");
    const { messageId } = await sendMessage({
      ctx: h.agentCtx,
      input: { conversationId: conversation.id, clientKey: newClientKey(), text: "Sent while offboarded" },
    });
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId, graph: h.graph } })).status).toBe("paused");
    expect((await messageRow(messageId)).status).toBe("queued");
    await lifecycle("ACCOUNT_RECONNECTED");
    await until(async () => (await db.select().from(numbers).where(eq(numbers.id, h.number.id)))[0]?.state === "connected");
    const jobs = await db.execute<{ count: number }>(
      sql`select count(*)::int as count from graphile_worker.jobs where key = ${`send:${messageId}`}`,
    );
    expect(jobs[0]?.count).toBe(1);
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId, graph: h.graph } })).status).toBe("accepted");
    expect((await phoneThread(h.sandboxUrl, waId)).some((m) => m.text === "Sent while offboarded")).toBe(true);
  });

  it("an agent reacts to a customer's message through the queue, the phone shows it, and an empty emoji removes it", async () => {
    const h = await harness();
    const { conversation, waId } = await h.customerWrites("Thanks for the quick help!");
    const [target] = await db.select().from(messages).where(eq(messages.conversationId, conversation.id));
    const react = async (emoji: string) => {
      const { messageId, target: drawn } = await sendReaction({
        ctx: h.agentCtx,
        input: { messageId: target!.id, clientKey: newClientKey(), emoji },
      });
      expect((await messageRow(messageId)).type).toBe("reaction");
      // The answer carries the reacted bubble as the thread shows it, for the page to redraw alone.
      expect(drawn).toMatchObject({ id: target!.id, reactions: emoji ? [{ reactor: "business", emoji }] : [] });
      expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId, graph: h.graph } })).status).toBe("accepted");
      // Meta: a reaction only ever gets "sent".
      await until(async () => (await messageRow(messageId)).status === "sent");
    };
    const onPhone = async () => (await phoneThread(h.sandboxUrl, waId)).find((m) => m.wamid === target!.wamid);
    const onBubble = async () => {
      const { messages: page } = await listThreadMessages({
        ctx: h.agentCtx,
        input: { conversationId: conversation.id, limit: 50 },
      });
      return page.find((m) => m.id === target!.id)!.reactions;
    };

    await react("👍");
    expect(await onPhone()).toMatchObject({ businessReaction: "👍" });
    expect(await onBubble()).toEqual([{ reactor: "business", emoji: "👍" }]);
    await react("");
    expect(await onPhone()).toMatchObject({ businessReaction: null });
    expect(await onBubble()).toEqual([]);

    // A reaction is free-form: behind a closed window it is refused like text.
    await db.update(conversations).set({ lastCustomerMessageAt: null }).where(eq(conversations.id, conversation.id));
    await expect(
      sendReaction({ ctx: h.agentCtx, input: { messageId: target!.id, clientKey: newClientKey(), emoji: "🙏" } }),
    ).rejects.toMatchObject({ code: "WINDOW_CLOSED" });
    await expect(
      sendReaction({ ctx: h.agentCtx, input: { messageId: target!.id, clientKey: newClientKey(), emoji: "two words" } }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
  });

  it("a customer's reaction or edit renews the window; a 131060 placeholder does not (controllable clock)", async () => {
    const h = await harness();
    const { conversation, waId } = await h.customerWrites();
    const [first] = await db.select().from(messages).where(eq(messages.conversationId, conversation.id));
    const ctx = { db, sql: handle.sql, actor: { kind: "system", name: "test" } } as const;
    const deliver = async (body: unknown) => {
      const { eventId } = await receiveWebhook({ ctx, input: { raw: Buffer.from(toMetaJson(body)) } });
      await processWebhookEvents({ ctx, input: { eventIds: [eventId!] } });
    };
    const lastWrote = async () =>
      (await db.select().from(conversations).where(eq(conversations.id, conversation.id)))[0]!.lastCustomerMessageAt!.getTime();
    const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
    // The clock the checks run on: a day after the customer wrote, the window is closed.
    const later = new Date(Date.now() + 25 * 3600_000);
    const dayLater = () => later;
    const sendLater = (text: string) =>
      queueOutbound({
        ctx: h.agentCtx,
        input: {
          conversationId: conversation.id,
          clientKey: newClientKey(),
          replyToWamid: null,
          now: dayLater(),
          draft: {
            type: "text",
            origin: "agent",
            body: text,
            content: { text: { body: text } },
            needsWindow: true,
            preview: text,
          },
        },
      });
    await expect(sendLater("Too late")).rejects.toMatchObject({ code: "WINDOW_CLOSED" });

    // 131060: "This message is currently unavailable" renews nothing, even a day later.
    const placeholder = inboundMessage(h.number, {
      from: waId,
      wamid: newWamid(),
      type: "unsupported",
      content: { type: "unknown" },
      timestamp: seconds(dayLater()),
    });
    const wrote = await lastWrote();
    const entry = (placeholder as { entry: { changes: { value: { messages: Record<string, unknown>[] } }[] }[] }).entry[0]!;
    entry.changes[0]!.value.messages[0]!.errors = [{ code: 131060, title: "This message is currently unavailable." }];
    await deliver(placeholder);
    expect(await lastWrote()).toBe(wrote);
    await expect(sendLater("Still too late")).rejects.toMatchObject({ code: "WINDOW_CLOSED" });

    // An edit of the customer's message a day later renews the window.
    await deliver(
      change(h.number, {
        side: "customer",
        customer: waId,
        wamid: newWamid(),
        original: first!.wamid!,
        edit: "Hello, is my order ready yet?",
        timestamp: seconds(dayLater()),
      }),
    );
    expect(await lastWrote()).toBe(seconds(dayLater()) * 1000);
    await expect(sendLater("Yes, it is")).resolves.toMatchObject({ duplicate: false });

    // So does a reaction, two days later.
    const twoDaysLater = new Date(Date.now() + 49 * 3600_000);
    await deliver(
      inboundMessage(h.number, {
        from: waId,
        wamid: newWamid(),
        type: "reaction",
        content: { message_id: first!.wamid, emoji: "👍" },
        timestamp: seconds(twoDaysLater),
      }),
    );
    expect(await lastWrote()).toBe(seconds(twoDaysLater) * 1000);
  });
});
