import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { ensureDatabase, recreateDatabase } from "@/db/migrate";
import { loadGeneratedSecrets } from "../scripts/launcher/data-dir";
import { startEmbeddedPostgres } from "../scripts/launcher/embedded-postgres";

// Three ports from BENCH_PORT (web, realtime, sandbox), so two checkouts can bench at once.
export const BENCH_PORT = Number(process.env.BENCH_PORT ?? 3200);
export const benchAdmin = { email: "bench@tandem.local", password: "bench-password-123" };
export const benchAppSecret = "bench-app-secret";

/**
 * Starts the whole system (production build) on ports of its own, against a fresh database on
 * DATABASE_URL's server or an embedded PostgreSQL in .data/bench. BENCH_REUSE_DATABASE=1 keeps the
 * previous run's database (and its seeded inbox) instead.
 */
export async function startSystem() {
  if (!existsSync(".next/BUILD_ID")) {
    const build = spawnSync("node_modules/.bin/next", ["build"], {
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (build.status !== 0) throw new Error("next build failed");
  }
  const dataDir = path.resolve(".data/bench");
  let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | null = null;
  let base = process.env.DATABASE_URL;
  if (!base) {
    embedded = await startEmbeddedPostgres({
      dataDir,
      port: 54349,
      password: loadGeneratedSecrets(dataDir).POSTGRES_PASSWORD,
      log: () => {},
    });
    base = embedded.url;
  }
  const url = new URL(base);
  url.pathname = `/${decodeURIComponent(url.pathname.slice(1)) || "tandem"}_bench`;
  const databaseUrl = url.toString();
  if (process.env.BENCH_REUSE_DATABASE === "1") await ensureDatabase(databaseUrl);
  else await recreateDatabase(databaseUrl);
  rmSync(path.join(dataDir, "app"), { recursive: true, force: true });

  const proc: ChildProcess = spawn("node_modules/.bin/tsx", ["scripts/launch.ts", "start"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(BENCH_PORT),
      REALTIME_PORT: String(BENCH_PORT + 1),
      SANDBOX_PORT: String(BENCH_PORT + 2),
      TANDEM_DATA_DIR: path.join(dataDir, "app"),
      META_APP_ID: "",
      META_APP_SECRET: benchAppSecret,
      TANDEM_ADMIN_EMAIL: benchAdmin.email,
      TANDEM_ADMIN_PASSWORD: benchAdmin.password,
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const baseUrl = `http://127.0.0.1:${BENCH_PORT}`;
  let exited = false;
  proc.once("exit", () => {
    exited = true;
  });
  for (let i = 0; ; i++) {
    if (exited) throw new Error("the system stopped while starting (is a port taken?)");
    const ok = await fetch(`${baseUrl}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 240) throw new Error("the system did not become healthy in 120 s");
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    baseUrl,
    databaseUrl,
    async stop() {
      if (proc.pid) process.kill(-proc.pid, "SIGTERM");
      await new Promise((r) => proc.once("exit", r));
      await embedded?.stop();
    },
  };
}
