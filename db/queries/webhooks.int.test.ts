import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withTransaction } from "@/db/client";
import { connectTestDatabase } from "@/db/testing/database";
import { holdQueueWalk, releaseQueueWalk, selectPendingWebhookEvents } from "./webhooks";

const { sql } = connectTestDatabase();

class Rollback extends Error {}

type PlanNode = { "Node Type": string; "Actual Rows": number; Plans?: PlanNode[] };
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

describe("claiming pending webhook events", () => {
  it("reads about one batch, not every pending event, from a backlog the queue has no statistics for", async () => {
    let rowsRead = 0;
    await withTransaction(sql, async (tx) => {
      // A queue never analyzed (a backlog arrives within seconds; autovacuum may be off): a copy of
      // the table, with its indexes, that shadows it for this transaction.
      await tx.sql`create temp table webhook_events (like public.webhook_events including all) on commit drop`;
      const run = randomUUID();
      await tx.sql`insert into webhook_events (body_sha256, body)
        select ${run} || '-' || g, convert_to('{}', 'UTF8') from generate_series(1, 3000) g`;
      const query = selectPendingWebhookEvents(tx.db, { limit: 50, afterId: 0 }).toSQL();
      await holdQueueWalk(tx.db);
      const [row] = await tx.sql.unsafe(`explain (analyze, format json) ${query.sql}`, query.params as never[]);
      const plan = (row as unknown as { "QUERY PLAN": [{ Plan: PlanNode }] })["QUERY PLAN"][0].Plan;
      rowsRead = Math.max(...nodesOf(plan).map((n) => n["Actual Rows"]));
      throw new Rollback();
    }).catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
    expect(rowsRead).toBeGreaterThanOrEqual(50);
    expect(rowsRead).toBeLessThan(200);
  });

  it("gives the planner back the settings the transaction had before the claim", async () => {
    const settings = await withTransaction(sql, async (tx) => {
      await tx.sql`set local enable_bitmapscan = off`;
      const [held] = await holdQueueWalk(tx.db);
      await releaseQueueWalk(tx.db, held!);
      return tx.sql<{ sort: string; bitmapscan: string }[]>`
        select current_setting('enable_sort') as sort, current_setting('enable_bitmapscan') as bitmapscan`;
    });
    expect([...settings]).toEqual([{ sort: "on", bitmapscan: "off" }]);
  });
});
