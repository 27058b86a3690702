import { readFileSync } from "node:fs";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { createDb } from "@/db/client";
import { historyChunks, messages, numbers } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto";
import { historyChunk, textMessage } from "@/lib/whatsapp/fixtures/build";
import { signPayload, toMetaJson } from "@/lib/whatsapp/signature";
import { expect, launcherDatabaseUrl, launcherSecrets, test } from "./fixtures";

/**
 * Fault injection under the launcher: kill -9 the worker while a history import and live traffic
 * are being applied. The launcher restarts it with no manual step, and every history message and
 * every live message ends stored exactly once. Runs last: it adds a number of its own.
 */
const CHUNKS = 10;
const PER_CHUNK = 500;
const LIVE = 300;

type Health = { status: string; checks: Record<string, { state: string }> };
const dataDir = path.resolve(".data/e2e");
const workerPid = () =>
  (
    JSON.parse(readFileSync(path.join(dataDir, "processes.json"), "utf8")) as { children: { name: string; pid: number }[] }
  ).children.find((c) => c.name === "worker")?.pid;

test("a worker killed with SIGKILL mid-import is restarted by the launcher, and history and live messages all land exactly once", async ({
  request,
}) => {
  test.setTimeout(90_000);
  const { db, sql } = createDb(launcherDatabaseUrl(), { max: 2 });
  try {
    const health = async () => (await (await request.get("/api/health")).json()) as Health;
    await expect.poll(async () => (await health()).status, { timeout: 30_000 }).toBe("ok");

    const tag = Date.now().toString().slice(-9);
    const [number] = await db
      .insert(numbers)
      .values({
        phoneNumberId: `9${tag}00001`,
        wabaId: `9${tag}00002`,
        displayPhoneNumber: `1555${tag.slice(-7)}`,
        verifiedName: "Fault Test Shop",
        accessTokenEncrypted: encryptSecret("fault-test-token", launcherSecrets().AUTH_SECRET),
        onboardedAt: new Date(),
      })
      .returning();
    const n = number!;
    const post = async (body: unknown) => {
      const raw = toMetaJson(body);
      const response = await request.post("/api/webhooks/whatsapp", {
        data: raw,
        headers: {
          "content-type": "application/json",
          "x-hub-signature-256": signPayload(raw, launcherSecrets().META_APP_SECRET),
        },
      });
      expect(response.status()).toBe(200);
    };

    // History: CHUNKS chunks of PER_CHUNK messages in threads of 50 customers' chats; live: one message each from LIVE customers.
    const past = Math.floor(Date.now() / 1000) - 30 * 86_400;
    const chunks = Array.from({ length: CHUNKS }, (_, c) =>
      historyChunk(n, {
        phase: 0,
        chunkOrder: c + 1,
        progress: Math.floor(((c + 1) / CHUNKS) * 100),
        threads: Array.from({ length: PER_CHUNK / 50 }, (_, t) => {
          const waId = `1652${tag.slice(-3)}${String(c * 100 + t).padStart(4, "0")}`;
          return {
            id: waId,
            messages: Array.from({ length: 50 }, (_, m) => ({
              wamid: `wamid.fault-history-${tag}-${c}-${t}-${m}`,
              from: m % 2 ? n.displayPhoneNumber : waId,
              ...(m % 2 ? { to: waId } : {}),
              timestamp: past + c * 1000 + t * 60 + m,
              text: `History ${c}/${t}/${m}`,
            })),
          };
        }),
      }),
    );
    const live = Array.from({ length: LIVE }, (_, i) =>
      textMessage(n, {
        from: `1653${tag.slice(-3)}${String(i).padStart(4, "0")}`,
        wamid: `wamid.fault-live-${tag}-${i}`,
        text: `Live ${i}`,
      }),
    );
    const stored = async () => (await db.select({ n: count() }).from(messages).where(eq(messages.numberId, n.id)))[0]!.n;

    // Both streams at once: the chunks, and the live messages a few at a time, as Meta would deliver them.
    const posting = Promise.all([
      (async () => {
        for (const chunk of chunks) await post(chunk);
      })(),
      (async () => {
        for (let i = 0; i < live.length; i += 10) await Promise.all(live.slice(i, i + 10).map(post));
      })(),
    ]);
    await expect.poll(stored, { intervals: [50], timeout: 20_000 }).toBeGreaterThan(0);
    const killed = workerPid();
    expect(killed).toBeTruthy();
    const killedAt = Date.now();
    process.kill(killed!, "SIGKILL");
    const atKill = await stored();
    expect(atKill, "killed mid-import").toBeLessThan(CHUNKS * PER_CHUNK + LIVE);

    // Intake keeps acknowledging meanwhile; health reports the worker down until the new one beats.
    await expect.poll(async () => (await health()).checks.worker?.state, { intervals: [50] }).toBe("down");
    await expect.poll(async () => (await health()).checks.worker?.state, { timeout: 30_000, intervals: [100] }).toBe("up");
    const restartMs = Date.now() - killedAt;
    expect(workerPid()).not.toBe(killed);
    await posting;

    await expect.poll(stored, { timeout: 45_000, intervals: [250] }).toBe(CHUNKS * PER_CHUNK + LIVE);
    const events = await sql<{ status: string; n: number }[]>`
      select status, count(*)::int as n from webhook_events where routing_keys && ${[n.phoneNumberId]}::text[] group by status`;
    expect([...events]).toEqual([{ status: "processed", n: CHUNKS + LIVE }]);
    const [imported] = await db.select({ n: count() }).from(historyChunks).where(eq(historyChunks.numberId, n.id));
    expect(imported!.n).toBe(CHUNKS);
    const origins = await db
      .select({ origin: messages.origin, n: count() })
      .from(messages)
      .where(eq(messages.numberId, n.id))
      .groupBy(messages.origin)
      .orderBy(messages.origin);
    expect(origins).toEqual([
      { origin: "customer", n: LIVE },
      { origin: "history", n: CHUNKS * PER_CHUNK },
    ]);
    console.log(
      `worker killed with SIGKILL after ${atKill} of ${CHUNKS * PER_CHUNK + LIVE} messages: restarted and healthy after ${restartMs} ms; all applied exactly once`,
    );
  } finally {
    await sql.end();
  }
});
