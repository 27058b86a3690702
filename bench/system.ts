import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { ensureDatabase, recreateDatabase } from "@/db/migrate";
import { loadGeneratedSecrets } from "../scripts/launcher/data-dir";
import { startEmbeddedPostgres } from "../scripts/launcher/embedded-postgres";

// Three ports from BENCH_PORT (web, realtime, sandbox), so two checkouts can bench at once.
/** CPU seconds a stretch of a run used, by part (see `startCpuCount` in bench/run.ts). */
export type CpuUsed = { tandem: number; worker: number; postgres: number; browser: number; bench: number };

export const BENCH_PORT = Number(process.env.BENCH_PORT ?? 3200);
export const benchAdmin = { email: "bench@tandem.local", password: "bench-password-123" };
export const benchAppSecret = "bench-app-secret";

/**
 * Starts the whole system (production build) on ports of its own, against a fresh database on
 * DATABASE_URL's server or an embedded PostgreSQL in .data/bench. BENCH_REUSE_DATABASE=1 keeps the
 * previous run's database (and its seeded inbox) instead.
 */
export async function startSystem() {
  if (!existsSync(".next/BUILD_ID") || !existsSync("dist/launch.mjs")) {
    const build = spawnSync("npm", ["run", "build"], {
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (build.status !== 0) throw new Error("npm run build failed");
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

  const proc: ChildProcess = spawn(process.execPath, ["dist/launch.mjs", "start"], {
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
  const appDir = path.join(dataDir, "app");
  function workerPids() {
    const record = JSON.parse(readFileSync(path.join(appDir, "processes.json"), "utf8")) as {
      children: { name: string; pid: number }[];
    };
    return record.children.filter((c) => c.name.startsWith("worker")).flatMap((c) => [c.pid, ...descendantsOf(c.pid)]);
  }
  return {
    baseUrl,
    databaseUrl,
    /** Freezes (SIGSTOP) or thaws (SIGCONT) the worker processes, to measure intake alone. */
    signalWorkers(signal: "SIGSTOP" | "SIGCONT") {
      for (const pid of workerPids()) process.kill(pid, signal);
    },
    /**
     * CPU seconds used so far by the worker processes, by all of Tandem's, by the bench's other
     * children (its browser), and by each given PostgreSQL backend.
     */
    cpuSeconds(backends: number[]) {
      const sum = (pids: number[]) => pids.reduce((total, pid) => total + cpuSecondsOf(pid), 0);
      const tandem = proc.pid ? [proc.pid, ...descendantsOf(proc.pid)] : [];
      return {
        worker: sum(workerPids()),
        tandem: sum(tandem),
        browser: sum(descendantsOf(process.pid).filter((pid) => !tandem.includes(pid))),
        postgres: new Map(backends.map((pid) => [pid, cpuSecondsOf(pid)])),
      };
    },
    async stop() {
      // The launcher may be gone already (it stops itself when a child crash-loops).
      if (!exited && proc.pid) {
        const gone = new Promise((r) => proc.once("exit", r));
        try {
          process.kill(-proc.pid, "SIGTERM");
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
        }
        if (!exited) await gone;
      }
      await embedded?.stop();
    },
  };
}

/** User and system CPU seconds of a process on this machine (0 once it is gone). */
function cpuSecondsOf(pid: number) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // utime and stime, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Every process below `pid` (tsx runs the script in a child node process). */
function descendantsOf(pid: number): number[] {
  const children = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1]?.split(" ")[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
  return children.flatMap((c) => [c, ...descendantsOf(c)]);
}

/** The bare `node:http` reference (bench/bare-intake.ts) on its own port and process. */
export async function startBareReference(input: { databaseUrl: string; port: number; appSecret: string }) {
  const proc = spawn("node_modules/.bin/tsx", ["bench/bare-intake.ts", String(input.port)], {
    env: { ...process.env, DATABASE_URL: input.databaseUrl, META_APP_SECRET: input.appSecret },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.once("data", () => resolve());
    proc.once("exit", () => reject(new Error("the bare reference did not start")));
  });
  return {
    url: `http://127.0.0.1:${input.port}/`,
    async stop() {
      if (proc.pid) process.kill(-proc.pid, "SIGTERM");
      await new Promise((r) => proc.once("exit", r));
    },
  };
}
