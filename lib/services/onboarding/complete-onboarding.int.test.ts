import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contacts, historySyncs, messages, numberEvents, numbers, syncRequests, webhookEvents } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createUser, newWaId, TEST_SECRET } from "@/db/testing/factories";
import { decryptSecret } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { textMessage } from "@/lib/whatsapp/fixtures/build";
import { createOnboardingGraph } from "@/lib/whatsapp/graph-onboarding";
import { toMetaJson } from "@/lib/whatsapp/signature";
import { processWebhookEvents } from "../webhooks/process-webhook-events";
import { receiveWebhook } from "../webhooks/receive-webhook";
import { completeOnboarding } from "./complete-onboarding";
import { startOnboarding } from "./start-onboarding";

const { db, sql } = connectTestDatabase();

type Reply = { status: number; body: unknown };
type Script = {
  token?: () => Reply;
  phoneNumbers?: () => Reply;
  subscribe?: () => Reply;
  sync?: (syncType: string) => Reply | "hang";
};

const ok = (body: unknown): Reply => ({ status: 200, body });
const graphError = (code: number, message: string, status = 400): Reply => ({
  status,
  body: { error: { message, type: "OAuthException", code, fbtrace_id: "Atest" } },
});

/** A Graph server whose answers each test scripts; it records every call it receives. */
function scriptedGraph() {
  let script: Script = {};
  const calls: string[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://graph.test");
    calls.push(`${req.method} ${url.pathname.replace(/^\/v\d+\.\d+/, "")}`);
    let reply: Reply | "hang" = { status: 404, body: { error: { message: "no route", code: 100 } } };
    if (url.pathname.endsWith("/oauth/access_token")) reply = script.token?.() ?? ok({ access_token: "business-token-1" });
    else if (url.pathname.endsWith("/phone_numbers")) reply = script.phoneNumbers?.() ?? reply;
    else if (url.pathname.endsWith("/subscribed_apps")) reply = script.subscribe?.() ?? ok({ success: true });
    else if (url.pathname.endsWith("/smb_app_data")) {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { sync_type: string };
      reply = script.sync?.(body.sync_type) ?? ok({ messaging_product: "whatsapp", request_id: `req-${body.sync_type}` });
    }
    if (reply === "hang") return; // no answer: the client times out
    res.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify(reply.body));
  });
  return {
    calls,
    set(next: Script) {
      script = next;
      calls.length = 0;
    },
    async start() {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    closeConnections: () => server.closeAllConnections(),
  };
}

const graphServer = scriptedGraph();
let graph: ReturnType<typeof createOnboardingGraph>;

beforeAll(async () => {
  const baseUrl = await graphServer.start();
  graph = createOnboardingGraph({
    baseUrl,
    version: "v24.0",
    appId: "app-1",
    appSecret: "app-secret",
    fetch: (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(1500) }),
  });
});
afterAll(async () => {
  graphServer.closeConnections();
  await graphServer.stop();
});

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join("");

/** A fresh WABA with one number, as the scripted Graph server lists it. */
function newAccount() {
  const account = { wabaId: `3${digits(14)}`, phoneNumberId: `4${digits(14)}`, display: `1555${digits(7)}` };
  return {
    ...account,
    listing: () =>
      ok({
        data: [{ id: account.phoneNumberId, display_phone_number: `+${account.display}`, verified_name: "Flower Shop" }],
      }),
  };
}

async function signedInAdmin() {
  const user = await createUser(db, { role: "admin" });
  const ctx = {
    db,
    actor: { kind: "user" as const, userId: user.id, role: "admin" as const, name: user.name },
    secret: TEST_SECRET,
  };
  return { user, ctx };
}

async function launch(ctx: Awaited<ReturnType<typeof signedInAdmin>>["ctx"]) {
  return (await startOnboarding({ ctx, input: {} })).state;
}

const syncCalls = () => graphServer.calls.filter((c) => c.endsWith("/smb_app_data"));

describe("completing Embedded Signup", () => {
  it("connects the number with its token sealed and requests contacts, then history, once each", async () => {
    const account = newAccount();
    graphServer.set({ phoneNumbers: account.listing });
    const { ctx } = await signedInAdmin();
    const now = new Date("2026-11-30T10:00:00.750Z");
    const result = await completeOnboarding({
      ctx,
      input: { state: await launch(ctx), code: "code-1", wabaId: account.wabaId, phoneNumberId: null, graph, now },
    });

    expect(graphServer.calls).toEqual([
      "GET /oauth/access_token",
      `GET /${account.wabaId}/phone_numbers`,
      `POST /${account.wabaId}/subscribed_apps`,
      `POST /${account.phoneNumberId}/smb_app_data`,
      `POST /${account.phoneNumberId}/smb_app_data`,
    ]);
    expect(graphServer.calls.some((c) => c.includes("/register"))).toBe(false);
    expect(result.syncs).toEqual([
      { kind: "contacts", state: "accepted", requestId: "req-smb_app_state_sync" },
      { kind: "history", state: "accepted", requestId: "req-history" },
    ]);
    const [number] = await db.select().from(numbers).where(eq(numbers.id, result.numberId));
    expect(number).toMatchObject({
      phoneNumberId: account.phoneNumberId,
      displayPhoneNumber: account.display,
      state: "connected",
    });
    // Whole seconds, as Meta compares onboarding with message timestamps.
    expect(number!.onboardedAt.toISOString()).toBe("2026-11-30T10:00:00.000Z");
    expect(number!.accessTokenEncrypted).not.toContain("business-token-1");
    expect(decryptSecret(number!.accessTokenEncrypted, TEST_SECRET)).toBe("business-token-1");
    expect(JSON.stringify(result)).not.toContain("business-token-1");
    const requests = await db.select().from(syncRequests).where(eq(syncRequests.numberId, result.numberId));
    expect(requests.map((r) => [r.kind, r.state, r.requestId]).sort()).toEqual([
      ["contacts", "accepted", "req-smb_app_state_sync"],
      ["history", "accepted", "req-history"],
    ]);
    const [history] = await db.select().from(historySyncs).where(eq(historySyncs.numberId, result.numberId));
    expect(history?.state).toBe("requested");
  });

  it("a state is single use, bound to the admin who launched, and refused once expired", async () => {
    const account = newAccount();
    graphServer.set({ phoneNumbers: account.listing });
    const { ctx } = await signedInAdmin();
    const other = await signedInAdmin();
    const base = { code: "c", wabaId: account.wabaId, phoneNumberId: null, graph };

    const forged = completeOnboarding({ ctx, input: { ...base, state: "x".repeat(43) } });
    await expect(forged).rejects.toMatchObject({ code: "CONFLICT" });
    const someoneElses = completeOnboarding({ ctx: other.ctx, input: { ...base, state: await launch(ctx) } });
    await expect(someoneElses).rejects.toMatchObject({ code: "CONFLICT" });
    const state = await launch(ctx);
    const late = completeOnboarding({ ctx, input: { ...base, state, now: new Date(Date.now() + 16 * 60_000) } });
    await expect(late).rejects.toMatchObject({ code: "CONFLICT" });
    expect(graphServer.calls).toEqual([]);

    const fresh = await launch(ctx);
    await completeOnboarding({ ctx, input: { ...base, state: fresh } });
    await expect(completeOnboarding({ ctx, input: { ...base, state: fresh } })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("an expired code stops before anything is stored, with Meta's message", async () => {
    const account = newAccount();
    graphServer.set({ token: () => graphError(100, "This authorization code has expired."), phoneNumbers: account.listing });
    const { ctx } = await signedInAdmin();
    const attempt = completeOnboarding({
      ctx,
      input: { state: await launch(ctx), code: "old", wabaId: account.wabaId, phoneNumberId: null, graph },
    });
    await expect(attempt).rejects.toThrow(AppError);
    await expect(attempt).rejects.toMatchObject({ code: "META_ERROR", message: expect.stringContaining("has expired") });
    expect(await db.select().from(numbers).where(eq(numbers.phoneNumberId, account.phoneNumberId))).toEqual([]);
  });

  it("an empty phone number lookup and a failing subscription are explained and store nothing", async () => {
    const account = newAccount();
    const { ctx } = await signedInAdmin();
    const input = async () => ({ state: await launch(ctx), code: "c", wabaId: account.wabaId, phoneNumberId: null, graph });

    graphServer.set({ phoneNumbers: () => ok({ data: [] }) });
    await expect(completeOnboarding({ ctx, input: await input() })).rejects.toMatchObject({
      code: "META_ERROR",
      message: expect.stringContaining("no phone number"),
    });
    graphServer.set({ phoneNumbers: account.listing, subscribe: () => graphError(200, "Permissions error", 403) });
    await expect(completeOnboarding({ ctx, input: await input() })).rejects.toMatchObject({
      code: "META_ERROR",
      message: expect.stringContaining("Permissions error"),
    });
    expect(syncCalls()).toEqual([]);
    expect(await db.select().from(numbers).where(eq(numbers.phoneNumberId, account.phoneNumberId))).toEqual([]);
  });

  it("2593107 and 2593108 are recorded as failed with Meta's code and never retried", async () => {
    const account = newAccount();
    graphServer.set({
      phoneNumbers: account.listing,
      sync: (type) =>
        type === "history"
          ? graphError(2593108, "Synchronization request can only be made within 24 hours of onboarding")
          : graphError(2593107, "You have exceeded the maximum number of times to call the synchronization api"),
    });
    const { ctx } = await signedInAdmin();
    const result = await completeOnboarding({
      ctx,
      input: { state: await launch(ctx), code: "c", wabaId: account.wabaId, phoneNumberId: null, graph },
    });
    expect(result.syncs).toEqual([
      { kind: "contacts", state: "failed", errorCode: 2593107 },
      { kind: "history", state: "failed", errorCode: 2593108 },
    ]);
    expect(syncCalls()).toHaveLength(2);
    const [history] = await db.select().from(historySyncs).where(eq(historySyncs.numberId, result.numberId));
    expect(history).toMatchObject({ state: "failed", error: { code: 2593108 } });
  });

  it("a sync request without an answer is uncertain and not retried", async () => {
    const account = newAccount();
    graphServer.set({ phoneNumbers: account.listing, sync: (type) => (type === "history" ? "hang" : ok({ request_id: "r1" })) });
    const { ctx } = await signedInAdmin();
    const result = await completeOnboarding({
      ctx,
      input: { state: await launch(ctx), code: "c", wabaId: account.wabaId, phoneNumberId: null, graph },
    });
    expect(result.syncs[1]).toEqual({ kind: "history", state: "uncertain" });
    expect(syncCalls()).toHaveLength(2);
    const [history] = await db.select().from(historySyncs).where(eq(historySyncs.numberId, result.numberId));
    // Meta may have accepted it: the sync keeps waiting for webhooks.
    expect(history?.state).toBe("requested");
  });

  it("each sync is requested at most once when the completion is posted twice concurrently", async () => {
    const account = newAccount();
    graphServer.set({ phoneNumbers: account.listing });
    const { ctx } = await signedInAdmin();
    const now = new Date();
    const state = await launch(ctx);
    const input = { state, code: "c", wabaId: account.wabaId, phoneNumberId: null, graph, now };
    const same = await Promise.allSettled([completeOnboarding({ ctx, input }), completeOnboarding({ ctx, input })]);
    expect(same.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);

    // Two launches completing the same onboarding at once: both get through, Meta is asked once.
    const [a, b] = [await launch(ctx), await launch(ctx)];
    graphServer.set({ phoneNumbers: account.listing });
    await Promise.all([
      completeOnboarding({ ctx, input: { ...input, state: a } }),
      completeOnboarding({ ctx, input: { ...input, state: b } }),
    ]);
    expect(syncCalls()).toEqual([]);
    const [number] = await db.select().from(numbers).where(eq(numbers.phoneNumberId, account.phoneNumberId));
    const requests = await db.select().from(syncRequests).where(eq(syncRequests.numberId, number!.id));
    expect(requests.map((r) => r.kind).sort()).toEqual(["contacts", "history"]);
  });

  it("webhooks received before the number existed are applied after onboarding", async () => {
    const account = newAccount();
    const ids = { wabaId: account.wabaId, phoneNumberId: account.phoneNumberId, displayPhoneNumber: account.display };
    const customer = newWaId();
    const wctx = { db, sql, actor: { kind: "webhook" } } as const;
    const early = textMessage(ids, { from: customer, wamid: `wamid.early.${digits(8)}`, text: "Are you open today?" });
    const { eventId } = await receiveWebhook({ ctx: wctx, input: { raw: Buffer.from(toMetaJson(early)) } });
    await processWebhookEvents({ ctx: wctx, input: { eventIds: [eventId!] } });
    const [failed] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, eventId!));
    expect(failed?.status).toBe("failed");

    graphServer.set({ phoneNumbers: account.listing });
    const { ctx } = await signedInAdmin();
    const result = await completeOnboarding({
      ctx,
      input: { state: await launch(ctx), code: "c", wabaId: account.wabaId, phoneNumberId: null, graph },
    });
    await processWebhookEvents({ ctx: wctx, input: { eventIds: [eventId!] } });
    const stored = await db.select().from(messages).where(eq(messages.numberId, result.numberId));
    expect(stored.map((m) => m.body)).toEqual(["Are you open today?"]);
  });

  it("reconnecting a disconnected number keeps its contacts and takes Meta's PARTNER_ADDED time", async () => {
    const account = newAccount();
    graphServer.set({ phoneNumbers: account.listing });
    const { ctx } = await signedInAdmin();
    const first = await completeOnboarding({
      ctx,
      input: { state: await launch(ctx), code: "c", wabaId: account.wabaId, phoneNumberId: null, graph },
    });
    await db.insert(contacts).values({ numberId: first.numberId, waId: newWaId() });
    await db
      .update(numbers)
      .set({ state: "disconnected", disconnectionReason: "PRIMARY_INACTIVITY" })
      .where(eq(numbers.id, first.numberId));
    const now = new Date(Date.now() + 60_000);
    const partnerAddedAt = new Date(Math.floor(now.getTime() / 1000) * 1000 - 4000);
    await db.insert(numberEvents).values({ wabaId: account.wabaId, event: "PARTNER_ADDED", occurredAt: partnerAddedAt });

    const again = await completeOnboarding({
      ctx,
      input: { state: await launch(ctx), code: "c", wabaId: account.wabaId, phoneNumberId: null, graph, now },
    });
    expect(again.numberId).toBe(first.numberId);
    const [number] = await db.select().from(numbers).where(eq(numbers.id, first.numberId));
    expect(number).toMatchObject({ state: "connected", disconnectionReason: null });
    expect(number!.onboardedAt.toISOString()).toBe(partnerAddedAt.toISOString());
    expect(await db.select().from(contacts).where(eq(contacts.numberId, first.numberId))).toHaveLength(1);
    // A new onboarding: both syncs requested again.
    const requests = await db
      .select()
      .from(syncRequests)
      .where(and(eq(syncRequests.numberId, first.numberId), eq(syncRequests.onboardedAt, number!.onboardedAt)));
    expect(requests).toHaveLength(2);
  });
});
