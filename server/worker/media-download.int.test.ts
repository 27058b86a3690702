import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, sql as raw } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mediaAssets, messages, numbers } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createNumber, TEST_SECRET } from "@/db/testing/factories";
import { encryptSecret } from "@/lib/crypto";
import { demoNumber } from "@/lib/demo";
import { createDiskStorage } from "@/lib/media/storage";
import { downloadMedia, MEDIA_LIFETIME_MS } from "@/lib/services/media/download-media";
import { retryFailedMediaDownloads } from "@/lib/services/media/retry-failed-downloads";
import { createGraphClient } from "@/lib/whatsapp/graph-client";
import { createSandbox } from "../sandbox/create-sandbox";
import { startTestIntake } from "./send-harness";

/**
 * Media over real HTTP: the Meta sandbox sends a customer's photo as a signed webhook, Tandem stores
 * it, and the worker's download goes through the sandbox's Graph media endpoints like Meta's.
 */
const { db, sql } = connectTestDatabase();
const ctx = { db, sql, actor: { kind: "system", name: "test" } } as const;
let sandboxUrl = "";
let storageDir = "";
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const [existing] = await db.select().from(numbers).where(eq(numbers.phoneNumberId, demoNumber.phoneNumberId));
  if (!existing) {
    await createNumber(db, {
      phoneNumberId: demoNumber.phoneNumberId,
      wabaId: demoNumber.wabaId,
      displayPhoneNumber: demoNumber.displayPhoneNumber,
      accessTokenEncrypted: encryptSecret(demoNumber.accessToken, TEST_SECRET),
    });
  }
  const intake = await startTestIntake(ctx);
  const sandbox = createSandbox({ appSecret: "media-test-secret", webhookUrl: intake.url, statusDelayMs: 10, log: () => {} });
  sandboxUrl = (await sandbox.listen(0, "127.0.0.1")).url;
  storageDir = await mkdtemp(path.join(tmpdir(), "tandem-media-"));
  stops.push(
    () => sandbox.close(),
    () => intake.close(),
    () => rm(storageDir, { recursive: true, force: true }),
  );
});

afterAll(async () => {
  for (const stop of stops) await stop();
});

const graph = () => createGraphClient({ baseUrl: sandboxUrl, version: "v24.0" });

describe("media download", () => {
  it("downloads a customer's photo through the Graph media endpoints, checks its sha256 and stores it", async () => {
    const response = await fetch(`${sandboxUrl}/phone/api/messages/photo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ waId: "16505551234", side: "customer", caption: "The blue one" }),
    });
    expect(response.status).toBe(200);
    const sent = (await response.json()) as { wamid: string; mediaId: string; sha256: string };

    const [asset] = await db.select().from(mediaAssets).where(eq(mediaAssets.metaMediaId, sent.mediaId));
    expect(asset).toMatchObject({ state: "pending", mimeType: "image/png" });
    const [message] = await db.select().from(messages).where(eq(messages.id, asset!.messageId));
    expect(message).toMatchObject({ wamid: sent.wamid, type: "image", body: "The blue one" });

    const storage = createDiskStorage(storageDir);
    await downloadMedia({ ctx: { ...ctx, secret: TEST_SECRET }, input: { assetId: asset!.id, graph: graph(), storage } });
    const [stored] = await db.select().from(mediaAssets).where(eq(mediaAssets.id, asset!.id));
    expect(stored).toMatchObject({ state: "stored", error: null });
    const file = await storage.open(stored!.storageKey!);
    const chunks: Buffer[] = [];
    for await (const chunk of file!.stream) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    expect(bytes.length).toBe(stored!.byteSize);
    expect(createHash("sha256").update(bytes).digest("base64")).toBe(sent.sha256);
  });

  it("marks media Meta no longer has as unavailable instead of retrying forever", async () => {
    const [{ message } = { message: undefined }] = await db
      .select({ message: messages })
      .from(messages)
      .innerJoin(numbers, eq(numbers.id, messages.numberId))
      .where(eq(numbers.phoneNumberId, demoNumber.phoneNumberId))
      .limit(1);
    const [asset] = await db
      .insert(mediaAssets)
      .values({ numberId: message!.numberId, messageId: message!.id, metaMediaId: `999${Date.now()}` })
      .returning();
    await downloadMedia({
      ctx: { ...ctx, secret: TEST_SECRET },
      input: { assetId: asset!.id, graph: graph(), storage: createDiskStorage(storageDir) },
    });
    const [after] = await db.select().from(mediaAssets).where(eq(mediaAssets.id, asset!.id));
    expect(after?.state).toBe("unavailable");
  });

  /** A customer's photo sent through the sandbox's phone; answers its pending asset. */
  async function sendPhoto() {
    const response = await fetch(`${sandboxUrl}/phone/api/messages/photo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ waId: "16505551234", side: "customer" }),
    });
    expect(response.status).toBe(200);
    const sent = (await response.json()) as { mediaId: string };
    const [asset] = await db.select().from(mediaAssets).where(eq(mediaAssets.metaMediaId, sent.mediaId));
    return asset!;
  }
  const injectFault = async (target: "info" | "download", status: number, count = 1) => {
    const response = await fetch(`${sandboxUrl}/sandbox/api/media-faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ target, status, count }),
    });
    expect(response.status).toBe(200);
  };
  const attempt = (assetId: string, at: Date) =>
    downloadMedia({
      ctx: { ...ctx, secret: TEST_SECRET },
      input: { assetId, graph: graph(), storage: createDiskStorage(storageDir), now: () => at },
    });
  const assetOf = async (id: string) => (await db.select().from(mediaAssets).where(eq(mediaAssets.id, id)))[0]!;
  const jobOf = async (id: string) =>
    (
      await db.execute<{ run_at: string }>(
        raw`select run_at from graphile_worker.jobs where key = ${`media:${id}`} and task_identifier = 'download-media'`,
      )
    )[0];

  it("fetches a fresh URL from GET /{media-id} when the download URL answers 404, and stores the file", async () => {
    const asset = await sendPhoto();
    await injectFault("download", 404);
    await attempt(asset.id, new Date());
    expect(await assetOf(asset.id)).toMatchObject({ state: "stored", error: null, attempts: 1 });
  });

  it("retries a 5xx from Graph or the download URL with growing delays, shown as retrying, then stores the file", async () => {
    const asset = await sendPhoto();
    await injectFault("info", 503);
    await injectFault("download", 500);
    const t0 = new Date();
    await attempt(asset.id, t0);
    const first = await assetOf(asset.id);
    expect(first).toMatchObject({ state: "retrying", attempts: 1 });
    expect(first.nextAttemptAt?.getTime()).toBe(t0.getTime() + 30_000);
    expect(new Date((await jobOf(asset.id))!.run_at).getTime()).toBe(t0.getTime() + 30_000);

    const t1 = new Date(t0.getTime() + 30_000);
    await attempt(asset.id, t1);
    const second = await assetOf(asset.id);
    expect(second).toMatchObject({ state: "retrying", attempts: 2, error: "Media download answered HTTP 500" });
    expect(second.nextAttemptAt?.getTime()).toBe(t1.getTime() + 60_000);

    await attempt(asset.id, new Date(t1.getTime() + 60_000));
    expect(await assetOf(asset.id)).toMatchObject({ state: "stored", attempts: 3, nextAttemptAt: null, error: null });
  });

  it("keeps retrying until the media id's 7 days have passed since it reached us, then marks it failed", async () => {
    const asset = await sendPhoto();
    await injectFault("info", 503, 3);
    const giveUpAt = asset.createdAt.getTime() + MEDIA_LIFETIME_MS;
    // Six days in, attempts still go on; the last one is planned for the end of the 7 days, not after.
    await attempt(asset.id, new Date(asset.createdAt.getTime() + 6 * 86_400_000));
    expect(await assetOf(asset.id)).toMatchObject({ state: "retrying" });
    await attempt(asset.id, new Date(giveUpAt - 60_000));
    expect((await assetOf(asset.id)).nextAttemptAt?.getTime()).toBe(giveUpAt);
    await attempt(asset.id, new Date(giveUpAt));
    const failed = await assetOf(asset.id);
    expect(failed).toMatchObject({ state: "failed", attempts: 3, nextAttemptAt: null });
    expect(failed.error).toMatch(/^Gave up after 3 attempts over WhatsApp's 7 days/);
  });

  it("re-queues a number's failed downloads when an admin asks, and the next attempt stores them", async () => {
    const asset = await sendPhoto();
    await db.update(mediaAssets).set({ state: "failed", attempts: 30, error: "Gave up" }).where(eq(mediaAssets.id, asset.id));
    await db.execute(raw`select graphile_worker.remove_job(${`media:${asset.id}`})`);

    const { requeued } = await retryFailedMediaDownloads({ ctx, input: { numberId: asset.numberId } });
    expect(requeued).toBeGreaterThanOrEqual(1);
    expect(await assetOf(asset.id)).toMatchObject({ state: "pending", attempts: 0, error: null });
    expect(await jobOf(asset.id)).toBeDefined();

    await attempt(asset.id, new Date());
    expect(await assetOf(asset.id)).toMatchObject({ state: "stored", attempts: 1 });
  });
});
