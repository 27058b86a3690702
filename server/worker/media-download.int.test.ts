import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mediaAssets, messages, numbers } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createNumber, TEST_SECRET } from "@/db/testing/factories";
import { encryptSecret } from "@/lib/crypto";
import { demoNumber } from "@/lib/demo";
import { createDiskStorage } from "@/lib/media/storage";
import { downloadMedia } from "@/lib/services/media/download-media";
import { processWebhookEvents } from "@/lib/services/webhooks/process-webhook-events";
import { receiveWebhook } from "@/lib/services/webhooks/receive-webhook";
import { createGraphClient } from "@/lib/whatsapp/graph-client";
import { createSandbox } from "../sandbox/create-sandbox";

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
  // Tandem's intake, minus HTTP details tested elsewhere: store, then apply right away.
  const intake = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { eventId } = await receiveWebhook({ ctx, input: { raw: Buffer.concat(chunks) } });
    if (eventId !== null) await processWebhookEvents({ ctx, input: { eventIds: [eventId] } });
    res.writeHead(200).end("{}");
  });
  await new Promise<void>((resolve) => intake.listen(0, "127.0.0.1", resolve));
  const intakeUrl = `http://127.0.0.1:${(intake.address() as AddressInfo).port}/`;
  const sandbox = createSandbox({ appSecret: "media-test-secret", webhookUrl: intakeUrl, statusDelayMs: 10, log: () => {} });
  sandboxUrl = (await sandbox.listen(0, "127.0.0.1")).url;
  storageDir = await mkdtemp(path.join(tmpdir(), "tandem-media-"));
  stops.push(
    () => sandbox.close(),
    () => new Promise<void>((resolve) => intake.close(() => resolve())),
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
});
