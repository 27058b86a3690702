import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, withSavepoint, withTransaction } from "./client";
import { users } from "./schema";

const url = process.env.DATABASE_URL!;
// One connection each, so the statements a query leaves behind are on the connection asked.
const prepared = createDb(url, { max: 1, prepare: true });
const unnamed = createDb(url, { max: 1 });
afterAll(() => Promise.all([prepared.sql.end({ timeout: 5 }), unnamed.sql.end({ timeout: 5 })]));

const statementsOf = async (handle: ReturnType<typeof createDb>) =>
  (await handle.sql`select statement from pg_prepared_statements`).map((r) => String(r.statement));

describe("createDb's prepare option", () => {
  it("keeps each drizzle query as a prepared statement of its connection, and reuses it", async () => {
    const read = (id: string) => prepared.db.select({ id: users.id }).from(users).where(eq(users.id, id));
    expect(await read("00000000-0000-0000-0000-000000000000")).toEqual([]);
    expect(await read("00000000-0000-0000-0000-000000000001")).toEqual([]);
    const mine = (await statementsOf(prepared)).filter((s) => s.includes('from "users" where "users"."id" = $1'));
    expect(mine).toHaveLength(1);
    // Raw SQL through drizzle too (the searches).
    expect(await prepared.db.execute(sql`select ${"a"}::text as v`)).toEqual([{ v: "a" }]);
    expect((await statementsOf(prepared)).some((s) => s.includes("select $1::text as v"))).toBe(true);
  });

  it("still runs drizzle's transactions", async () => {
    const inside = await prepared.db.transaction((tx) => tx.execute(sql`select ${7}::int as seven`));
    expect(inside).toEqual([{ seven: 7 }]);
  });

  it("prepares drizzle's queries inside withTransaction and withSavepoint too", async () => {
    const seen = await withTransaction(prepared.sql, async (tx) => {
      await tx.db.execute(sql`select ${"in a transaction"}::text as v`);
      await withSavepoint(tx, (sp) => sp.db.execute(sql`select ${"in a savepoint"}::text as w`));
      return tx.sql`select statement from pg_prepared_statements`;
    });
    const statements = seen.map((r) => String(r.statement));
    expect(statements.some((s) => s.includes("select $1::text as v"))).toBe(true);
    expect(statements.some((s) => s.includes("select $1::text as w"))).toBe(true);
  });

  it("leaves drizzle's queries unnamed without it", async () => {
    await unnamed.db.select({ id: users.id }).from(users).where(eq(users.id, "00000000-0000-0000-0000-000000000000"));
    expect((await statementsOf(unnamed)).filter((s) => s.includes('from "users"'))).toEqual([]);
  });
});
