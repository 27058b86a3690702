import { createHash } from "node:crypto";
import { once } from "node:events";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { webhookEvents } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createNumber, newWaId, newWamid } from "@/db/testing/factories";
import { textMessage } from "@/lib/whatsapp/fixtures/build";
import { signPayload, toMetaJson } from "@/lib/whatsapp/signature";

const APP_SECRET = "door-test-app-secret";
const pool = connectTestDatabase();
// Nothing listens on port 1: every insert fails the way a lost database does.
const lostDatabase = createDb("postgres://postgres@127.0.0.1:1/nowhere", { max: 1 });
let door: typeof import("./webhook-door");
let metrics: typeof import("@/lib/metrics/registry");
const servers: Server[] = [];

beforeAll(async () => {
  Object.assign(process.env, {
    AUTH_SECRET: "door-test-auth-secret-0123456789",
    META_APP_SECRET: APP_SECRET,
    META_VERIFY_TOKEN: "verify-me",
  });
  door = await import("./webhook-door");
  metrics = await import("@/lib/metrics/registry");
});
afterAll(async () => {
  for (const server of servers) server.close();
  await lostDatabase.sql.end({ timeout: 1 });
});

/** A server that sends the intake's POSTs through the door and answers 404 to the rest, as Next.js would. */
async function serve(handle = pool) {
  const intake = door.webhookDoor(handle);
  const server = createServer((req, res) => (door.isWebhookPost(req) ? intake(req, res) : res.writeHead(404).end()));
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const post = (base: string, raw: string, signature: string | null, path = "/api/webhooks/whatsapp") =>
  fetch(`${base}${path}`, {
    method: "POST",
    body: raw,
    headers: { "content-type": "application/json", ...(signature ? { "x-hub-signature-256": signature } : {}) },
  });

const storedEvent = async (raw: string) =>
  (
    await pool.db
      .select()
      .from(webhookEvents)
      .where(eq(webhookEvents.bodySha256, createHash("sha256").update(raw).digest("hex")))
  )[0];

const intakeCount = async (outcome: string) =>
  (await metrics.processMetrics("web").intake.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

const signedText = async (text: string) => {
  const number = await createNumber(pool.db);
  return toMetaJson(textMessage(number, { from: newWaId(), wamid: newWamid(), text }));
};

describe("the production server's webhook door", () => {
  it("takes the intake's POST on its exact path with any query string, and leaves the rest to Next.js", async () => {
    const base = await serve();
    const raw = await signedText("Por aqui");
    const signature = signPayload(raw, APP_SECRET);
    expect((await post(base, raw, signature, "/api/webhooks/whatsapp/")).status).toBe(404);
    expect((await post(base, raw, signature, "/api/webhooks/whatsappx")).status).toBe(404);
    expect((await fetch(`${base}/api/webhooks/whatsapp?hub.mode=subscribe`)).status).toBe(404);
    expect((await post(base, raw, signature, "/api/webhooks/whatsapp?from=meta")).status).toBe(200);
  });

  it("stores a signed body's exact bytes before its 200, counted in the metrics, with the API's security headers", async () => {
    const base = await serve();
    const raw = await signedText("Olá, tudo bem? 😀");
    const stored = await intakeCount("stored");
    const response = await post(base, raw, signPayload(raw, APP_SECRET));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    expect((await storedEvent(raw))?.body.toString("utf8")).toBe(raw);
    expect(await intakeCount("stored")).toBe(stored + 1);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "strict-origin-when-cross-origin",
    });
    expect((await post(base, raw, signPayload(raw, APP_SECRET))).status).toBe(200);
    expect(await intakeCount("duplicate")).toBeGreaterThan(0);
  });

  it("answers 401 to a forged body and 400 to a signed one that is not a webhook, storing neither", async () => {
    const base = await serve();
    const forged = await signedText("Forged");
    const wrong = await post(base, forged, signPayload(forged, "not-the-secret"));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await wrong.json()).toEqual({ error: { code: "UNAUTHORIZED", message: "Missing or invalid X-Hub-Signature-256." } });
    expect((await post(base, forged, null)).status).toBe(401);
    expect(await storedEvent(forged)).toBeUndefined();
    for (const raw of ["{not json", '{"hello":"world"}']) {
      const response = await post(base, raw, signPayload(raw, APP_SECRET));
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("VALIDATION");
    }
  });

  it("answers 503 with a request id when the event cannot be stored, so Meta redelivers it", async () => {
    const base = await serve(lostDatabase);
    const raw = await signedText("Nowhere to go");
    const response = await post(base, raw, signPayload(raw, APP_SECRET));
    expect(response.status).toBe(503);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect((await response.json()).error.code).toBe("UNAVAILABLE");
  });

  it("refuses a declared 64 MB body with 413 before reading it, and closes the connection", async () => {
    const base = new URL(await serve());
    const req = request({
      host: base.hostname,
      port: base.port,
      method: "POST",
      path: "/api/webhooks/whatsapp",
      headers: { "content-type": "application/json", "content-length": String(64 * 1024 * 1024) },
    });
    // One chunk of the 64 MB: the answer comes without the rest.
    req.write(Buffer.alloc(64 * 1024, 0x20));
    const [response] = (await once(req, "response")) as [import("node:http").IncomingMessage];
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    req.destroy();
    expect(response.statusCode).toBe(413);
    expect(response.headers.connection).toBe("close");
    expect(JSON.parse(Buffer.concat(chunks).toString()).error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("stops reading a chunked body once it passes 4 MB", async () => {
    const base = await serve();
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 64 * 1024 * 1024) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${base}/api/webhooks/whatsapp`, { method: "POST", body, duplex: "half" } as RequestInit);
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });
});
