import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database, type Sql } from "@/db/client";
import { migrateDatabase, recreateDatabase } from "@/db/migrate";
import { messages } from "@/db/schema";
import { createNumber, newWaId } from "@/db/testing/factories";
import { processWebhookEvents } from "@/lib/services/webhooks/process-webhook-events";
import { receiveWebhook } from "@/lib/services/webhooks/receive-webhook";
import { historyChunk } from "@/lib/whatsapp/fixtures/build";
import { toMetaJson } from "@/lib/whatsapp/signature";

// Claiming takes every pending event of the database: a fresh database of its own keeps other
// files' events out of the batches counted here.
const url = `${process.env.DATABASE_URL}_history_claim`;
let sql: Sql;
let db: Database;

beforeAll(async () => {
  await recreateDatabase(url);
  await migrateDatabase(url);
  ({ sql, db } = createDb(url, { max: 4 }));
});

afterAll(async () => {
  await sql?.end({ timeout: 5 });
});

/** A chunk of `count` similar texts: about 180 bytes each as sent, far less once PostgreSQL compresses it. */
function bigChunk(n: Awaited<ReturnType<typeof createNumber>>, chunkOrder: number, count: number) {
  const customer = newWaId();
  return historyChunk(n, {
    phase: 0,
    chunkOrder,
    progress: chunkOrder,
    threads: [
      {
        id: customer,
        messages: Array.from({ length: count }, (_, m) => ({
          wamid: `wamid.claim-${customer}-${m}`,
          from: m % 2 ? n.displayPhoneNumber : customer,
          timestamp: 1_700_000_000 + m * 60,
          text: `Question ${m} about my order #${chunkOrder}`,
        })),
      },
    ],
  });
}

describe("claiming history chunks", () => {
  it("a large history chunk is applied in a transaction of its own even when its stored body compresses small", async () => {
    const number = await createNumber(db);
    const ctx = { db, sql, actor: { kind: "webhook" } } as const;
    for (const order of [1, 2, 3]) {
      const raw = Buffer.from(toMetaJson(bigChunk(number, order, 500)));
      expect(raw.length).toBeGreaterThan(64 * 1024);
      await receiveWebhook({ ctx, input: { raw } });
    }
    // Each chunk its own batch, so that two loops import two chunks at once.
    const claims: number[] = [];
    for (;;) {
      const result = await processWebhookEvents({ ctx, input: { limit: 50 } });
      if (result.claimed === 0) break;
      claims.push(result.claimed);
    }
    expect(claims).toEqual([1, 1, 1]);
    expect(await db.$count(messages)).toBe(1_500);
  });
});
