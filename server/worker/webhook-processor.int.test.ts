import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database, type Sql } from "@/db/client";
import { migrateDatabase, recreateDatabase } from "@/db/migrate";
import { messages, webhookEvents } from "@/db/schema";
import { createNumber, newWaId, newWamid } from "@/db/testing/factories";
import type { Ctx } from "@/lib/services/context";
import { receiveWebhook } from "@/lib/services/webhooks/receive-webhook";
import { replayWebhookEvent } from "@/lib/services/webhooks/replay-webhook-events";
import { textMessage } from "@/lib/whatsapp/fixtures/build";
import { toMetaJson } from "@/lib/whatsapp/signature";
import { startWebhookProcessor } from "./webhook-processor";

// The loop claims every pending event of its database: it gets a fresh database of its own, so it never
// takes the events other test files process by id.
const url = `${process.env.DATABASE_URL}_loop`;
const retry = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 400 };
let sql: Sql;
let db: Database;
let processor: Awaited<ReturnType<typeof startWebhookProcessor>>;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  await recreateDatabase(url);
  await migrateDatabase(url);
  // A lock wait fails fast here, so a held lock is a transient failure the loop must retry. Prepared
  // and custom-planned, as the worker's pool is.
  ({ sql, db } = createDb(url, {
    max: 6,
    connection: { lock_timeout: 150, plan_cache_mode: "force_custom_plan" },
    prepare: true,
  }));
  // Fault injection: recording a failure of a "poison-" event fails, as it did when the stored
  // error carried a NUL, for its first two tries.
  await sql.unsafe(`
    create or replace function test_refuse_poison_failure() returns trigger language plpgsql as $$
    begin
      if new.status = 'failed' and new.attempts < 3 and exists (select 1 from unnest(new.routing_keys) k where k like 'poison-%') then
        raise exception 'refusing to record this failure';
      end if;
      return new;
    end $$;
    drop trigger if exists test_refuse_poison_failure on webhook_events;
    create trigger test_refuse_poison_failure before update on webhook_events for each row execute function test_refuse_poison_failure();`);
  processor = await startWebhookProcessor({
    db,
    sql,
    loops: 2,
    batchSize: 50,
    log: (l) => logs.push(l as never),
    retry,
    pollMs: 100,
  });
});

afterAll(async () => {
  await processor?.stop();
  await sql?.end({ timeout: 5 });
});

const ctx = () => ({ db, sql, actor: { kind: "webhook" } }) satisfies Ctx;
const receive = async (body: unknown) =>
  (await receiveWebhook({ ctx: ctx(), input: { raw: Buffer.from(toMetaJson(body)) } })).eventId!;
const eventOf = async (id: number) => (await db.select().from(webhookEvents).where(eq(webhookEvents.id, id)))[0]!;

async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Holds the per-message lock that recording `wamid` takes, until `release` is called. */
async function holdMessageLock(numberId: string, wamid: string) {
  const holder = await sql.reserve();
  await holder`begin`;
  await holder`select pg_advisory_xact_lock(hashtextextended(${numberId} || ':' || ${wamid}, 0))`;
  return async () => {
    await holder`rollback`;
    holder.release();
  };
}

describe("the webhook processor loop", () => {
  it("claims pending events, applies them, and fails a malformed one with its path without stopping", async () => {
    const number = await createNumber(db);
    const bad = textMessage(number, { from: newWaId(), wamid: newWamid(), text: "x" });
    (bad.entry[0]!.changes[0]!.value as { messages: { timestamp: string }[] }).messages[0]!.timestamp = "soon";
    const badId = await receive(bad);
    const goodId = await receive(textMessage(number, { from: newWaId(), wamid: newWamid(), text: "After the bad one" }));
    await until(
      () => eventOf(goodId),
      (e) => e.status === "processed",
      "the good event",
    );
    const failed = await until(
      () => eventOf(badId),
      (e) => e.status === "failed",
      "the bad event",
    );
    expect(failed.failedItems).toEqual([
      { path: "entry[0].changes[0].value.messages[0]", code: "invalid", message: expect.stringMatching(/timestamp/) },
    ]);
    expect(failed.attempts).toBe(1);
  });

  it("retries a transiently failing event with backoff while later events go on, and applies it once the cause is gone", async () => {
    const number = await createNumber(db);
    const wamid = newWamid();
    const release = await holdMessageLock(number.id, wamid);
    try {
      const heldId = await receive(textMessage(number, { from: newWaId(), wamid, text: "Held" }));
      const held = await until(
        () => eventOf(heldId),
        (e) => e.attempts >= 1,
        "a first try",
      );
      expect(held.status).toBe("pending");
      expect(held.nextAttemptAt!.getTime()).toBeGreaterThan(held.receivedAt.getTime());
      expect(held.error).toMatch(/55P03/);
      const laterId = await receive(textMessage(number, { from: newWaId(), wamid: newWamid(), text: "Later" }));
      await until(
        () => eventOf(laterId),
        (e) => e.status === "processed",
        "the later event",
      );
      expect((await eventOf(heldId)).status).toBe("pending");
    } finally {
      await release();
    }
    await until(
      () => db.select().from(messages).where(eq(messages.wamid, wamid)),
      (rows) => rows.length === 1,
      "the held message once its lock is released",
    );
  });

  it("fails an event after the attempts bound, with a short error, and a replay applies it", async () => {
    const number = await createNumber(db);
    const wamid = newWamid();
    const release = await holdMessageLock(number.id, wamid);
    let id: number;
    try {
      id = await receive(textMessage(number, { from: newWaId(), wamid, text: "Card 4111 1111 1111 1111" }));
      const failed = await until(
        () => eventOf(id),
        (e) => e.status === "failed",
        "the attempts bound",
      );
      expect(failed.attempts).toBe(retry.maxAttempts);
      expect(failed.error).toMatch(/^gave up after 3 attempts: database error 55P03/);
      expect(failed.error).not.toMatch(/4111|select|insert/);
    } finally {
      await release();
    }
    await replayWebhookEvent({ ctx: ctx(), input: { eventId: id } });
    await until(
      () => eventOf(id),
      (e) => e.status === "processed",
      "the replayed event",
    );
    expect(await db.select().from(messages).where(eq(messages.wamid, wamid))).toHaveLength(1);
  });

  it("when recording a failure fails the batch, the event's tries are still counted and it cannot hold back the others", async () => {
    const poison = { wabaId: "1", phoneNumberId: `poison-${Date.now()}`, displayPhoneNumber: "1" };
    const number = await createNumber(db);
    const poisonId = await receive(textMessage(poison, { from: newWaId(), wamid: newWamid(), text: "Stuck?" }));
    const others: number[] = [];
    for (let i = 0; i < 3; i++)
      others.push(await receive(textMessage(number, { from: newWaId(), wamid: newWamid(), text: `n${i}` })));
    await until(
      () => db.select().from(webhookEvents).where(inArray(webhookEvents.id, others)),
      (rows) => rows.every((e) => e.status === "processed"),
      "the events behind the poisoned one",
    );
    const failed = await until(
      () => eventOf(poisonId),
      (e) => e.status === "failed",
      "the poisoned event to fail",
    );
    expect(failed.attempts).toBe(retry.maxAttempts);
    // Recorded by the processor on its last try, or by the loop when that try failed its batch too.
    expect(failed.failedItems?.length).toBe(1);
    expect(logs.some((l) => l.message === "webhook batch failed; trying its events one by one")).toBe(true);
  });
});
