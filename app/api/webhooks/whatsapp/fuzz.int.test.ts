import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { and, count, eq, inArray } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database, type Sql } from "@/db/client";
import { migrateDatabase, recreateDatabase } from "@/db/migrate";
import { messages, numbers, webhookEvents } from "@/db/schema";
import { TEST_SECRET } from "@/db/testing/factories";
import { encryptSecret } from "@/lib/crypto";
import { textMessage } from "@/lib/whatsapp/fixtures/build";
import { mutate, mutation } from "@/lib/whatsapp/fixtures/mutations";
import { signPayload, toMetaJson } from "@/lib/whatsapp/signature";
import { startWebhookProcessor } from "@/server/worker/webhook-processor";

/**
 * Property-based fuzzing of webhook intake and processing: every fixture in lib/whatsapp/fixtures,
 * mutated, each body carrying one good message, posted signed through the real route while the
 * real processor loop runs. `FUZZ_CASES=20000 npm run fuzz` runs more cases than `npm test`.
 */
const CASES = Number(process.env.FUZZ_CASES ?? 2000);
const APP_SECRET = "fuzz-app-secret";
const url = `${process.env.DATABASE_URL}_fuzz`;
const fixturesDir = path.join(import.meta.dirname, "../../../../lib/whatsapp/fixtures");
const fixtures = readdirSync(fixturesDir)
  .filter((f) => f.endsWith(".json"))
  .map((f) => ({ name: f, body: JSON.parse(readFileSync(path.join(fixturesDir, f), "utf8")) as unknown }));
// The fixtures' number (Meta's documented example ids); their second number stays unknown.
const NUMBER = { phoneNumberId: "106540352242922", wabaId: "102290129340398", displayPhoneNumber: "15550783881" };

let db: Database;
let sql: Sql;
let route: typeof import("@/app/api/webhooks/whatsapp/route");
let processor: Awaited<ReturnType<typeof startWebhookProcessor>>;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  await recreateDatabase(url);
  await migrateDatabase(url);
  Object.assign(process.env, {
    DATABASE_URL: url,
    AUTH_SECRET: "fuzz-auth-secret-0123456789abcdef",
    META_APP_SECRET: APP_SECRET,
    META_VERIFY_TOKEN: "fuzz",
  });
  route = await import("@/app/api/webhooks/whatsapp/route");
  ({ db, sql } = createDb(url, { max: 10 }));
  await db.insert(numbers).values({ ...NUMBER, verifiedName: "Fuzz", accessTokenEncrypted: encryptSecret("t", TEST_SECRET) });
  // Small batches in several loops, as a busy worker runs: one slow event holds few others back.
  processor = await startWebhookProcessor({ db, sql, loops: 4, batchSize: 10, log: (l) => logs.push(l as never) });
}, 120_000);

afterAll(async () => {
  await processor?.stop();
  await sql?.end({ timeout: 5 });
});

async function post(body: unknown) {
  const raw = toMetaJson(body);
  const response = await route.POST(
    new Request("http://127.0.0.1/api/webhooks/whatsapp", {
      method: "POST",
      body: raw,
      headers: { "content-type": "application/json", "x-hub-signature-256": signPayload(raw, APP_SECRET) },
    }),
  );
  return response.status;
}

async function until(check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

let serial = 0;
const goodMessage = () => {
  const wamid = `wamid.fuzz-${process.pid}-${++serial}`;
  return { wamid, body: textMessage(NUMBER, { from: `1650${String(serial).padStart(7, "0")}`, wamid, text: `good ${serial}` }) };
};

/**
 * Most cases get customers and message ids of their own (the fixtures write as the same few
 * customers, with fixed wamids), so the storm spreads over many conversations as real traffic does
 * instead of queueing behind one message's lock; one case in eight keeps the fixture's ids.
 */
const FIXTURE_CUSTOMER_IDS = ["16505551234", "447700900123", "5511987654321", "12125557890"];
const FIXTURE_CUSTOMERS = new RegExp(FIXTURE_CUSTOMER_IDS.join("|"), "g");
function withOwnIds(body: unknown, index: number) {
  const json = JSON.stringify(body)
    .replace(FIXTURE_CUSTOMERS, (id) => `1${61 + FIXTURE_CUSTOMER_IDS.indexOf(id)}${String(index).padStart(8, "0")}`)
    .replace(/"(wamid\.[^"]+)"/g, `"$1-case${index}"`);
  return JSON.parse(json) as unknown;
}

/** Inserts the good message's entry among the mutated body's entries, when it still has a list of them. */
function withGood(body: unknown, good: ReturnType<typeof goodMessage>, position: number) {
  const entries = (body as { entry?: unknown })?.entry;
  if (!Array.isArray(entries)) return { body, carries: false };
  entries.splice(position % (entries.length + 1), 0, good.body.entry[0]);
  return { body, carries: (body as { object?: unknown }).object === "whatsapp_business_account" };
}

/** Posts at once: the intake is tested under concurrency, and the storm keeps the processor busy. */
const CONCURRENCY = 8;
/**
 * How long the queue may take to settle after the last post: every event processed or failed. About
 * 70 s here on a quiet machine; the margin is for a machine shared with other test runs.
 */
const SETTLE_MS = 180_000;

describe("webhook fuzzing through the signed route and the processor loop", () => {
  it(`${CASES} mutated fixtures: no 5xx, every event settles, good items applied exactly once, the queue keeps going`, async () => {
    // Cases are drawn up front and posted concurrently; FUZZ_SEED replays a run (its seed is printed).
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    const cases = fc.sample(
      fc.record({
        fixture: fc.constantFrom(...fixtures),
        mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
        position: fc.nat(),
        // A redelivery: the body also carries the previous case's good message (a duplicated id across bodies).
        redeliver: fc.boolean(),
        keepsFixtureIds: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
      }),
      { numRuns: CASES, seed },
    );
    const expected = new Set<string>();
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const started = Date.now();
    let previous: ReturnType<typeof goodMessage> | null = null;
    const bodies = cases.map(({ fixture, mutations, position, redeliver, keepsFixtureIds }, index) => {
      const good = goodMessage();
      const source = keepsFixtureIds ? fixture.body : withOwnIds(fixture.body, index);
      const { body, carries } = withGood(mutate(source, mutations), good, position);
      const again = redeliver && carries ? previous : null;
      if (again) (body as { entry: unknown[] }).entry.push(again.body.entry[0]);
      previous = good;
      return { fixture: fixture.name, body, carried: carries ? [good.wamid, ...(again ? [again.wamid] : [])] : [] };
    });
    for (let i = 0; i < bodies.length; i += CONCURRENCY) {
      await Promise.all(
        bodies.slice(i, i + CONCURRENCY).map(async ({ fixture, body, carried }) => {
          const status = await post(body);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          // A stored body is acknowledged; only a body that is not a webhook at all is refused.
          if (status >= 500) failures.push(`${fixture}: ${status}`);
          if (status === 200) for (const wamid of carried) expected.add(wamid);
        }),
      );
    }
    const posted = Date.now() - started;
    expect(failures, `no 5xx (seed ${seed})`).toEqual([]);

    const settled = await until(async () => {
      const [row] = await db.select({ n: count() }).from(webhookEvents).where(eq(webhookEvents.status, "pending"));
      return row!.n === 0;
    }, SETTLE_MS);
    expect(settled, `every stored event ends processed or failed within ${SETTLE_MS / 1000} s (seed ${seed})`).toBe(true);
    const settledMs = Date.now() - started - posted;

    // Good items: applied exactly once, whatever their siblings did and however often they came.
    const wamids = [...expected];
    const applied = new Map<string, number>();
    for (let i = 0; i < wamids.length; i += 1000) {
      const rows = await db
        .select({ wamid: messages.wamid, n: count() })
        .from(messages)
        .where(inArray(messages.wamid, wamids.slice(i, i + 1000)))
        .groupBy(messages.wamid);
      for (const r of rows) applied.set(r.wamid!, r.n);
    }
    expect(
      wamids.filter((w) => applied.get(w) !== 1),
      `seed ${seed}`,
    ).toEqual([]);
    expect(wamids.length).toBeGreaterThan(CASES / 2);

    // The loop survived the storm: a good event posted now is applied within 2 s.
    const after = goodMessage();
    expect(await post(after.body)).toBe(200);
    const live = await until(
      async () =>
        (
          await db
            .select({ n: count() })
            .from(messages)
            .where(and(eq(messages.wamid, after.wamid)))
        ).at(0)!.n === 1,
      2_000,
    );
    expect(live, "a good event after the storm is applied within 2 s").toBe(true);
    expect(logs.filter((l) => l.level === "error")).toEqual([]);
    console.log(
      JSON.stringify({
        fuzz: {
          cases: CASES,
          seed,
          postedMs: posted,
          settledMs,
          totalMs: Date.now() - started,
          statuses: Object.fromEntries(statuses),
          goodItems: wamids.length,
        },
      }),
    );
  }, 600_000);
});
