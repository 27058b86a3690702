import { afterAll } from "vitest";
import { createDb } from "../client";

/** One pool per test file, closed after it. Tests create their own rows, so files may run in parallel. */
export function connectTestDatabase() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  const handle = createDb(url, { max: 5 });
  afterAll(() => handle.sql.end({ timeout: 5 }));
  return handle;
}
