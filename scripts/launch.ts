/**
 * Starts Tandem: PostgreSQL (embedded when DATABASE_URL is unset), migrations, the demo seed, then
 * the web app, the realtime sidecar, the worker and, without Meta credentials, the Meta sandbox.
 * Usage: `npm run dev` or `npm start` (node --import tsx scripts/launch.ts dev|start). Ctrl-C stops everything.
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
import { startEmbeddedPostgres } from "./launcher/embedded-postgres";
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
    const startPostgres = () =>
      startEmbeddedPostgres({ dataDir, port: env.EMBEDDED_POSTGRES_PORT, password: generated.POSTGRES_PASSWORD, log });
    // The first start fails the launch outright; later ones are restarts after the server died.
    const first = await startPostgres();
    embeddedStarted = true;
    databaseUrl = first.url;
    let initial: typeof first.process | null = first.process;
    await database.supervise(
      "postgres",
      async () => {
        const proc = initial ?? (await startPostgres()).process;
        initial = null;
        return proc;
      },
      { stopSignal: "SIGINT" },
    ); // fast shutdown: clean, no recovery needed on the next start
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

  // Server processes load their TypeScript through tsx's hooks in a single node process (the tsx
  // command would put a second process in between, which a kill -9 would leave orphaned);
  // `react-server` lets them import server-only modules.
  const tsx = (entry: string) => [process.execPath, ["--conditions=react-server", "--import", "tsx", entry]] as const;

  await start("web", path.resolve("node_modules/.bin/next"), [mode, "--port", String(env.PORT), "--hostname", "127.0.0.1"], {
    REALTIME_PUBLIC_URL: `http://127.0.0.1:${env.REALTIME_PORT}`,
    ...(demoMode ? { SANDBOX_PUBLIC_URL: sandboxUrl } : {}),
  });
  await start("realtime", ...tsx("server/realtime/main.ts"), {
    REALTIME_PORT: String(env.REALTIME_PORT),
    WEB_ORIGIN: [publicUrl, `http://localhost:${env.PORT}`, `http://127.0.0.1:${env.PORT}`].join(","),
  });
  await start("worker", ...tsx("server/worker/main.ts"), { WORKER_CONCURRENCY: String(env.WORKER_CONCURRENCY) });
  if (demoMode) {
    await start("sandbox", ...tsx("server/sandbox/main.ts"), {
      SANDBOX_PORT: String(env.SANDBOX_PORT),
      SANDBOX_WEBHOOK_URL: `http://127.0.0.1:${env.PORT}/api/webhooks/whatsapp`,
      SANDBOX_STATE_FILE: path.join(dataDir, "sandbox-state.json"),
    });
  }

  log(
    `Tandem (${mode}) at ${publicUrl}: realtime :${env.REALTIME_PORT}${demoMode ? `, Meta sandbox ${sandboxUrl}/phone (demo mode)` : `, Meta Graph API ${graphUrl}`}`,
  );
}

main().catch(async (error: unknown) => {
  // Conditions the operator can fix get one line; anything else keeps its stack for a bug report.
  if (error instanceof StartupError) log(`cannot start: ${error.message}`);
  else console.error(error);
  await shutdown(1);
});
