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
