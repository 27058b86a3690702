/**
 * Starts Tandem: PostgreSQL (embedded when DATABASE_URL is unset), migrations, the demo seed, then
 * the web app, the realtime sidecar, the worker and, without Meta credentials, the Meta sandbox.
 * Usage: `npm run dev` (node --import tsx scripts/launch.ts dev), or `npm start` (node dist/launch.mjs
 * start, compiled by `npm run build`). Ctrl-C stops everything. TANDEM_WEB_PROCESSES,
 * TANDEM_REALTIME_PROCESSES and TANDEM_WORKER_PROCESSES set how many of each run here; each kind can
 * also run alone on its own machine (see README).
 *
 * The launcher supervises what it starts: a process that dies is restarted with backoff (and shown
 * down in health meanwhile), as is an embedded PostgreSQL; only a crash loop, or a database that
 * cannot be started again, stops the whole.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createDb } from "@/db/client";
import { ensureDatabase, migrateDatabase } from "@/db/migrate";
import { launcherEnv } from "@/lib/env/launcher";
import { ensureDemoNumber } from "@/lib/services/numbers/ensure-demo-number";
import { markServiceDown } from "@/lib/services/system/heartbeat";
import { ensureAdminFromEnv } from "@/lib/services/users/create-first-admin";
import { loadGeneratedSecrets } from "./launcher/data-dir";
import { superviseEmbeddedPostgres } from "./launcher/embedded-postgres";
import { recordProcesses, stopLeftoverProcesses } from "./launcher/leftovers";
import { StartupError } from "./launcher/startup-error";
import { createSupervisor } from "./launcher/supervisor";

const mode = process.argv[2] === "start" ? "start" : "dev";
const log = (line: string) => console.log(`[tandem] ${line}`);

let stopping = false;
let embeddedStarted = false;
let launcherDb: ReturnType<typeof createDb> | null = null;
const giveUp = (_name: string, reason: string) => {
  log(`${reason}: stopping Tandem`);
  void shutdown(1);
};
// The embedded server has a supervisor of its own so that it stops after the processes using it.
const database = createSupervisor({ log, onGiveUp: giveUp });
let dataDir = "";
const processes = createSupervisor({
  log,
  onGiveUp: giveUp,
  onDown: (name) => {
    if ((name === "worker" || name === "realtime") && launcherDb) {
      markServiceDown(launcherDb.db, name).catch((e) => log(`could not mark ${name} down for health: ${String(e)}`));
    }
  },
  onStarted: () => recordProcesses(dataDir, processes.running()),
});

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  log("stopping…");
  database.holdRestarts();
  await processes.stop();
  await launcherDb?.sql.end({ timeout: 2 }).catch(() => {});
  await database.stop();
  if (embeddedStarted) log("PostgreSQL stopped");
  process.exit(code);
}
// embedded-postgres stops its servers on these signals by itself, before the processes that use
// them; the launcher stops everything in order instead.
process.removeAllListeners("SIGINT");
process.removeAllListeners("SIGTERM");
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function main() {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const env = launcherEnv();
  dataDir = path.resolve(env.TANDEM_DATA_DIR);
  const generated = loadGeneratedSecrets(dataDir);
  await stopLeftoverProcesses(dataDir, log);
  const demoMode = env.META_APP_ID === "";
  const authSecret = env.AUTH_SECRET ?? generated.AUTH_SECRET;
  const appSecret = env.META_APP_SECRET ?? generated.META_APP_SECRET;
  if (!demoMode && !env.META_APP_SECRET) throw new StartupError("META_APP_SECRET is required when META_APP_ID is set");

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    databaseUrl = await superviseEmbeddedPostgres(database, {
      dataDir,
      port: env.EMBEDDED_POSTGRES_PORT,
      password: generated.POSTGRES_PASSWORD,
      log,
    });
    embeddedStarted = true;
    log(
      `embedded PostgreSQL on 127.0.0.1:${env.EMBEDDED_POSTGRES_PORT} (data in ${path.relative(process.cwd(), dataDir) || "."}/postgres)`,
    );
  }
  await ensureDatabase(databaseUrl);
  await migrateDatabase(databaseUrl);

  const publicUrl = env.TANDEM_PUBLIC_URL ?? `http://127.0.0.1:${env.PORT}`;
  const sandboxUrl = `http://127.0.0.1:${env.SANDBOX_PORT}`;
  const graphUrl = demoMode ? sandboxUrl : env.META_GRAPH_URL;

  launcherDb = createDb(databaseUrl, { max: 2 });
  {
    const ctx = { db: launcherDb.db, actor: { kind: "system", name: "launcher" } as const, secret: authSecret };
    if (demoMode) await ensureDemoNumber({ ctx });
    const admin = await ensureAdminFromEnv({
      ctx,
      input: { email: env.TANDEM_ADMIN_EMAIL, password: env.TANDEM_ADMIN_PASSWORD },
    });
    if (admin) log(`created admin ${admin.email} from TANDEM_ADMIN_EMAIL`);
  }

  const shared = {
    NEXT_TELEMETRY_DISABLED: "1",
    ...process.env,
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: authSecret,
    NEXTAUTH_URL: publicUrl,
    META_APP_ID: env.META_APP_ID,
    META_APP_SECRET: appSecret,
    META_CONFIG_ID: env.META_CONFIG_ID,
    META_VERIFY_TOKEN: env.META_VERIFY_TOKEN ?? generated.META_VERIFY_TOKEN,
    META_GRAPH_URL: graphUrl,
    META_GRAPH_VERSION: env.META_GRAPH_VERSION,
    TANDEM_MEDIA_DIR: path.join(dataDir, "media"),
  };

  const spawner =
    (name: string, command: string, args: readonly string[], extraEnv: Record<string, string> = {}) =>
    () => {
      const proc = spawn(command, [...args], { env: { ...shared, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
      const prefix = (chunk: Buffer) =>
        chunk
          .toString()
          .split("\n")
          .filter((l) => l.trim())
          .map((l) => `[${name}] ${l}`)
          .join("\n");
      proc.stdout?.on("data", (c: Buffer) => console.log(prefix(c)));
      proc.stderr?.on("data", (c: Buffer) => console.error(prefix(c)));
      return proc;
    };
  const start = (name: string, command: string, args: readonly string[], extraEnv?: Record<string, string>) =>
    processes.supervise(name, spawner(name, command, args, extraEnv));

  // Production runs the compiled processes (`npm run build` makes dist/). Development loads their
  // TypeScript through tsx's hooks in a single node process (the tsx command would put a second
  // process in between, which a kill -9 would leave orphaned); `react-server` lets them import
  // server-only modules.
  const compiled = (name: string) => path.resolve("dist", `${name}.mjs`);
  if (mode === "start" && !existsSync(compiled("worker"))) throw new StartupError("dist/ is missing: run `npm run build` first");
  const server = (name: string, entry: string): [string, string[]] =>
    mode === "start"
      ? [process.execPath, ["--enable-source-maps", compiled(name)]]
      : [process.execPath, ["--conditions=react-server", "--import", "tsx", entry]];
  const web = {
    REALTIME_PUBLIC_URL: `http://127.0.0.1:${env.REALTIME_PORT}`,
    ...(demoMode ? { SANDBOX_PUBLIC_URL: sandboxUrl } : {}),
  };

  if (mode === "start") {
    await start("web", ...server("web", "server/web/main.ts"), {
      ...web,
      NODE_ENV: "production",
      PORT: String(env.PORT),
      TANDEM_WEB_PROCESSES: String(env.TANDEM_WEB_PROCESSES),
    });
  } else {
    await start(
      "web",
      path.resolve("node_modules/.bin/next"),
      ["dev", "--port", String(env.PORT), "--hostname", "127.0.0.1"],
      web,
    );
  }
  await start("realtime", ...server("realtime", "server/realtime/main.ts"), {
    REALTIME_PORT: String(env.REALTIME_PORT),
    TANDEM_REALTIME_PROCESSES: String(env.TANDEM_REALTIME_PROCESSES),
    WEB_ORIGIN: [publicUrl, `http://localhost:${env.PORT}`, `http://127.0.0.1:${env.PORT}`].join(","),
  });
  for (let i = 1; i <= env.TANDEM_WORKER_PROCESSES; i++) {
    await start(env.TANDEM_WORKER_PROCESSES > 1 ? `worker-${i}` : "worker", ...server("worker", "server/worker/main.ts"), {
      WORKER_CONCURRENCY: String(env.WORKER_CONCURRENCY),
    });
  }
  if (demoMode) {
    await start("sandbox", ...server("sandbox", "server/sandbox/main.ts"), {
      SANDBOX_PORT: String(env.SANDBOX_PORT),
      SANDBOX_WEBHOOK_URL: `http://127.0.0.1:${env.PORT}/api/webhooks/whatsapp`,
      SANDBOX_STATE_FILE: path.join(dataDir, "sandbox-state.json"),
    });
  }

  log(
    `Tandem (${mode}) at ${publicUrl}: realtime :${env.REALTIME_PORT}, processes web ${mode === "start" ? env.TANDEM_WEB_PROCESSES : 1}/realtime ${env.TANDEM_REALTIME_PROCESSES}/worker ${env.TANDEM_WORKER_PROCESSES}${demoMode ? `, Meta sandbox ${sandboxUrl}/phone (demo mode)` : `, Meta Graph API ${graphUrl}`}`,
  );
}

main().catch(async (error: unknown) => {
  // Conditions the operator can fix get one line; anything else keeps its stack for a bug report.
  if (error instanceof StartupError) log(`cannot start: ${error.message}`);
  else console.error(error);
  await shutdown(1);
});
