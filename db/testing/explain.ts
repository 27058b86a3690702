import { drizzle } from "drizzle-orm/postgres-js";
import type { Database, Sql } from "../client";

export type PlanNode = {
  "Node Type": string;
  "Parent Relationship"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
};
export const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/** Runs `read` on a handle that records its statements, then runs each again under EXPLAIN ANALYZE: their plans. */
export async function plansOf(sql: Sql, read: (db: Database) => Promise<unknown>) {
  const statements: { query: string; params: unknown[] }[] = [];
  await read(drizzle(sql, { logger: { logQuery: (query, params) => statements.push({ query, params }) } }));
  const plans: PlanNode[] = [];
  for (const { query, params } of statements) {
    const [row] = await sql.unsafe(`explain (analyze, format json) ${query}`, params as never[]);
    plans.push((row as unknown as { "QUERY PLAN": [{ Plan: PlanNode }] })["QUERY PLAN"][0].Plan);
  }
  return plans;
}

/** Per statement of `read`, the rows its scans read (returned or filtered out, over all their loops). */
export async function rowsReadBy(sql: Sql, read: (db: Database) => Promise<unknown>) {
  return (await plansOf(sql, read)).map((plan) =>
    nodesOf(plan)
      .filter((n) => n["Node Type"].includes("Scan"))
      .reduce((sum, n) => sum + (n["Actual Rows"] + (n["Rows Removed by Filter"] ?? 0)) * n["Actual Loops"], 0),
  );
}
