import { once } from "node:events";
import net from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { messages } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createNumber, newWaId, newWamid } from "@/db/testing/factories";
import { NOTIFY_CHANNEL } from "@/lib/realtime/events";
import { statusUpdate, textMessage } from "@/lib/whatsapp/fixtures/build";
import { toMetaJson } from "@/lib/whatsapp/signature";
import { processWebhookEvents } from "./process-webhook-events";
import { receiveWebhook } from "./receive-webhook";

/**
 * Counts the times a pool waits for PostgreSQL: a statement sent while none is unanswered starts a
 * round trip; statements sent before the answers of those ahead of them (pipelined) join it.
 * Answers are counted from the socket (each statement's ends with ReadyForQuery) before postgres.js
 * reads them.
 */
function roundTripCounter(databaseUrl: string) {
  const target = new URL(databaseUrl);
  const counter = { rounds: 0 };
  let unanswered = 0;
  const driver = {
    debug: () => {
      if (unanswered === 0) counter.rounds++;
      unanswered++;
    },
    socket: async () => {
      const socket = net.connect(Number(target.port || 5432), target.hostname);
      await once(socket, "connect");
      let pending = Buffer.alloc(0);
      socket.on("data", (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        // Backend messages: a type byte, then a length that counts itself and the body.
        while (pending.length >= 5 && pending.length >= 1 + pending.readInt32BE(1)) {
          // The connection's startup and a statement's first run (described, then executed)
          // answer more than once: never below zero.
          if (pending[0] === 0x5a) unanswered = Math.max(0, unanswered - 1);
          pending = pending.subarray(1 + pending.readInt32BE(1));
        }
      });
      return socket;
    },
  };
  return { counter, driver };
}

const { db, sql } = connectTestDatabase();
const { counter, driver } = roundTripCounter(process.env.DATABASE_URL!);
// As the worker's pool: one connection, every query prepared.
const counted = createDb(process.env.DATABASE_URL!, { max: 1, prepare: true, driver });
afterAll(() => counted.sql.end({ timeout: 5 }));
const ctx = { db: counted.db, sql: counted.sql, actor: { kind: "webhook" } } as const;

describe("a live batch claimed from the queue", () => {
  it("waits for PostgreSQL 11 times for texts (19 before), 9 for statuses (12 before), with the same effects", async () => {
    // The batch claims from a queue of its own: a copy of webhook_events on the counted connection
    // that shadows the shared one, so other test files' events are not taken.
    await counted.sql`create temp table webhook_events (like public.webhook_events including all)`;
    const number = await createNumber(db, { onboardedAt: new Date(Date.now() - 60_000) });
    const customers = Array.from({ length: 5 }, newWaId);
    const store = async (bodies: unknown[]) => {
      for (const body of bodies) await receiveWebhook({ ctx, input: { raw: Buffer.from(toMetaJson(body)) } });
      // The workers' wake-up goes out within 5 ms, not waited for: not this batch's to count.
      await new Promise((r) => setTimeout(r, 50));
    };
    const wamids = Array.from({ length: 10 }, newWamid);
    const texts = wamids.map((wamid, i) => textMessage(number, { from: customers[i % 5]!, wamid, text: `Text ${i}` }));
    const notices: string[] = [];
    const listener = await sql.listen(NOTIFY_CHANNEL, (payload) => {
      if (payload.includes(number.id)) notices.push(payload);
    });
    try {
      // Warm-up: each statement is prepared on the connection the first time it runs.
      await store(texts.slice(0, 5));
      expect((await processWebhookEvents({ ctx, input: { limit: 50 } })).processed).toHaveLength(5);
      await store(texts.slice(5));
      counter.rounds = 0;
      const result = await processWebhookEvents({ ctx, input: { limit: 50 } });
      expect(result.processed).toHaveLength(5);
      expect(counter.rounds).toBe(11);

      const statuses = wamids.map((wamid, i) => statusUpdate(number, { wamid, status: "read", to: customers[i % 5]! }));
      await store(statuses.slice(0, 5));
      expect((await processWebhookEvents({ ctx, input: { limit: 50 } })).processed).toHaveLength(5);
      await store(statuses.slice(5));
      counter.rounds = 0;
      expect((await processWebhookEvents({ ctx, input: { limit: 50 } })).processed).toHaveLength(5);
      expect(counter.rounds).toBe(9);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await listener.unlisten();
    }
    const stored = await db.select().from(messages).where(eq(messages.numberId, number.id));
    expect(stored.map((m) => m.body).sort()).toEqual(wamids.map((_, i) => `Text ${i}`).sort());
    // A message and an activity notice per text; a message notice per status that moved one.
    expect(notices.filter((n) => n.includes('"type":"activity"'))).toHaveLength(10);
    expect(notices.filter((n) => n.includes('"type":"message"'))).toHaveLength(20);
  });
});
