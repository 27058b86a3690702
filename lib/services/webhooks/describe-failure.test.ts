import { describe, expect, it } from "vitest";
import { describeFailure, isTransient } from "./describe-failure";

/** The shape of drizzle's DrizzleQueryError around a postgres.js PostgresError. */
function drizzleError(code: string, message: string) {
  const cause = Object.assign(new Error(message), { code, severity: "ERROR", name: "PostgresError" });
  return Object.assign(new Error('Failed query: insert into "messages" ("body") values ($1)\nparams: card 4111\u0000'), {
    cause,
  });
}

describe("describeFailure", () => {
  it("keeps the database code and message, without SQL, parameters or quoted values", () => {
    const text = describeFailure(drizzleError("22P02", 'invalid input syntax for type integer: "4111 1111 1111 1111"'));
    expect(text).toBe('database error 22P02: invalid input syntax for type integer: "…"');
  });

  it("is storable and short whatever the error says", () => {
    const text = describeFailure(new Error(`bad\u0000\ud800${"x".repeat(1000)}`));
    expect(text).not.toContain("\u0000");
    expect(text.length).toBeLessThanOrEqual(200);
  });

  it("treats lock timeouts, deadlocks and serialisation failures as transient", () => {
    expect(isTransient(drizzleError("55P03", "canceling statement due to lock timeout"))).toBe(true);
    expect(isTransient(drizzleError("40P01", "deadlock detected"))).toBe(true);
    expect(isTransient(drizzleError("22021", "invalid byte sequence"))).toBe(false);
    expect(isTransient(new Error("nope"))).toBe(false);
  });
});
