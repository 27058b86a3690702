import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { superviseEmbeddedPostgres } from "./embedded-postgres";
import { createSupervisor } from "./supervisor";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "tandem-embedded-"));
// As root the server runs as the postgres user, who must be able to enter the folder.
chmodSync(dataDir, 0o755);
const lines: string[] = [];
const givenUp: string[] = [];
const supervisor = createSupervisor({ log: (l) => lines.push(l), onGiveUp: (name) => givenUp.push(name) });

afterAll(async () => {
  await supervisor.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const selectOne = async (url: string) => {
  const sql = postgres(url.replace(/\/tandem$/, "/postgres"), { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    return (await sql`select 1 as one`)[0]?.one;
  } finally {
    await sql.end({ timeout: 1 });
  }
};

describe("the launcher's embedded PostgreSQL", { timeout: 60_000 }, () => {
  it("is started again after it is killed with SIGKILL, and accepts connections", async () => {
    const url = await superviseEmbeddedPostgres(supervisor, {
      dataDir,
      port: 54391,
      password: "embedded-test-pw",
      log: () => {},
    });
    expect(await selectOne(url)).toBe(1);
    const killed = supervisor.running()[0]?.pid ?? 0;
    expect(killed).toBeGreaterThan(0);

    process.kill(killed, "SIGKILL");
    await expect
      .poll(() => supervisor.running()[0]?.pid, { timeout: 45_000, interval: 100 })
      .toSatisfy((pid) => pid !== undefined && pid !== killed);
    await expect.poll(() => selectOne(url).catch(() => null), { timeout: 15_000, interval: 250 }).toBe(1);
    expect(lines[0]).toBe("postgres exited (SIGKILL); restarting in 500 ms (restart 1)");
    expect(givenUp).toEqual([]);
  });
});
