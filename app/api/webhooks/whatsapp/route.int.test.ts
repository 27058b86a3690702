import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { webhookEvents } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createNumber, newWaId, newWamid } from "@/db/testing/factories";
import { textMessage } from "@/lib/whatsapp/fixtures/build";
import { signPayload, toMetaJson } from "@/lib/whatsapp/signature";

const APP_SECRET = "route-test-app-secret";
const { db } = connectTestDatabase();
let route: typeof import("./route");

beforeAll(async () => {
  Object.assign(process.env, {
    AUTH_SECRET: "route-test-auth-secret-0123456789",
    META_APP_SECRET: APP_SECRET,
    META_VERIFY_TOKEN: "verify-me",
  });
  route = await import("./route");
});

const post = (raw: string, signature: string | null) =>
  route.POST(
    new Request("http://127.0.0.1/api/webhooks/whatsapp", {
      method: "POST",
      body: raw,
      headers: { "content-type": "application/json", ...(signature ? { "x-hub-signature-256": signature } : {}) },
    }),
  );

const storedEvent = async (raw: string) =>
  (
    await db
      .select()
      .from(webhookEvents)
      .where(eq(webhookEvents.bodySha256, createHash("sha256").update(raw).digest("hex")))
  )[0];

describe("POST /api/webhooks/whatsapp", () => {
  it("acknowledges a signed body only after storing its exact bytes", async () => {
    const number = await createNumber(db);
    const raw = toMetaJson(textMessage(number, { from: newWaId(), wamid: newWamid(), text: "Olá, tudo bem? 😀" }));
    const response = await post(raw, signPayload(raw, APP_SECRET));
    expect(response.status).toBe(200);
    const event = await storedEvent(raw);
    expect(event?.body.toString("utf8")).toBe(raw);
  });

  it("answers 401 and stores nothing for an unsigned or wrongly signed POST", async () => {
    const number = await createNumber(db);
    const raw = toMetaJson(textMessage(number, { from: newWaId(), wamid: newWamid(), text: "Forged" }));
    expect((await post(raw, null)).status).toBe(401);
    const wrong = await post(raw, signPayload(raw, "not-the-secret"));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: "UNAUTHORIZED", message: "Missing or invalid X-Hub-Signature-256." } });
    expect(await storedEvent(raw)).toBeUndefined();
  });

  it("answers 400 with a clear error for a signed body that is not JSON or not a webhook", async () => {
    for (const raw of ["{not json", '{"hello":"world"}']) {
      const response = await post(raw, signPayload(raw, APP_SECRET));
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("VALIDATION");
      expect(await storedEvent(raw)).toBeUndefined();
    }
  });

  it("echoes the challenge for the right verify token and refuses a wrong one", async () => {
    const ok = route.GET(
      new Request("http://x/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444"),
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("1158201444");
    const bad = route.GET(new Request("http://x/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1"));
    expect(bad.status).toBe(403);
  });
});

describe("POST /api/webhooks/whatsapp body limit", () => {
  /** A lazily generated body of `total` bytes that counts how much of it was read. */
  const countingBody = (total: number) => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const read = { bytes: 0 };
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (read.bytes >= total) return controller.close();
          read.bytes += chunk.byteLength;
          controller.enqueue(chunk);
        },
      },
      { highWaterMark: 0 },
    );
    return { stream, read };
  };
  const postStream = (stream: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
    route.POST(
      new Request("http://127.0.0.1/api/webhooks/whatsapp", {
        method: "POST",
        body: stream,
        duplex: "half",
        headers: { "content-type": "application/json", ...headers },
      } as RequestInit),
    );

  it("refuses a declared 64 MB body with 413 before reading any of it", async () => {
    const { stream, read } = countingBody(64 * 1024 * 1024);
    const response = await postStream(stream, { "content-length": String(64 * 1024 * 1024) });
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(read.bytes).toBe(0);
  });

  it("stops reading a streamed body without Content-Length once it passes 4 MB", async () => {
    const { stream, read } = countingBody(64 * 1024 * 1024);
    const response = await postStream(stream);
    expect(response.status).toBe(413);
    expect(read.bytes).toBeLessThanOrEqual(4 * 1024 * 1024 + 64 * 1024);
  });
});
