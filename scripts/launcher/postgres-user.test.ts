import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkPostgresCanReach } from "./postgres-user";

const isRoot = process.getuid?.() === 0;
// mkdtemp creates mode 700 folders: what a private home or temporary checkout looks like to others.
const privateDir = mkdtempSync(path.join(os.tmpdir(), "tandem-private-"));
afterAll(() => rmSync(privateDir, { recursive: true, force: true }));

describe("starting the embedded PostgreSQL as root", { timeout: 30_000 }, () => {
  it("refuses a data folder the postgres user cannot enter, naming it, and accepts one it can", async () => {
    const blocked = checkPostgresCanReach(path.join(privateDir, "data"));
    const open = mkdtempSync(path.join(os.tmpdir(), "tandem-open-"));
    chmodSync(open, 0o755);
    try {
      if (isRoot) await expect(blocked).rejects.toThrow(`who cannot reach ${privateDir}. Move the Tandem folder`);
      // Not root: PostgreSQL runs as the current user, who owns the folder; nothing to check.
      else await expect(blocked).resolves.toBeUndefined();
      await expect(checkPostgresCanReach(path.join(open, "data"))).resolves.toBeUndefined();
    } finally {
      rmSync(open, { recursive: true, force: true });
    }
  });

  it("the launcher stops at once with one line saying why and what to do, without a stack trace", () => {
    const { DATABASE_URL: _external, ...inherited } = process.env;
    const env = { ...inherited, TANDEM_DATA_DIR: path.join(privateDir, "data"), EMBEDDED_POSTGRES_PORT: "54398" };
    // Not root, PostgreSQL runs as the folder's owner and the launcher would just start: CI runs as root.
    if (!isRoot) return;
    const run = spawnSync(path.resolve("node_modules/.bin/tsx"), ["scripts/launch.ts", "start"], {
      env,
      encoding: "utf8",
      timeout: 25_000,
    });
    const output = `${run.stdout}${run.stderr}`;
    expect(run.status).toBe(1);
    expect(output).not.toMatch(/EACCES|\n\s+at /);
    expect(output).toContain(
      `[tandem] cannot start: Tandem runs as root, so its embedded PostgreSQL runs as the "postgres" user, who cannot reach ${privateDir}.`,
    );
  });
});
