import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { StartupError } from "./startup-error";

type Record = { launcherPid: number; children: { name: string; pid: number }[] };

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const commandOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
};

/**
 * A launcher killed with SIGKILL leaves its processes running and holding their ports. The next
 * launcher stops them, after checking that each pid still runs one of Tandem's commands.
 */
export async function stopLeftoverProcesses(dataDir: string, log: (line: string) => void) {
  const file = path.join(dataDir, "processes.json");
  if (!existsSync(file)) return;
  const record = JSON.parse(readFileSync(file, "utf8")) as Record;
  if (isAlive(record.launcherPid) && /launch\.(ts|mjs)/.test(commandOf(record.launcherPid))) {
    throw new StartupError(`Tandem is already running from this data folder (launcher pid ${record.launcherPid})`);
  }
  const leftovers = record.children.filter((c) => isAlive(c.pid) && /next|tsx|server\/|dist\//.test(commandOf(c.pid)));
  for (const child of leftovers) {
    log(`stopping ${child.name} (pid ${child.pid}) left running by an earlier launcher`);
    process.kill(child.pid, "SIGTERM");
  }
  for (let i = 0; i < 100 && leftovers.some((c) => isAlive(c.pid)); i++) await new Promise((r) => setTimeout(r, 100));
  for (const child of leftovers) if (isAlive(child.pid)) process.kill(child.pid, "SIGKILL");
}

export function recordProcesses(dataDir: string, children: { name: string; pid: number | undefined }[]) {
  const record: Record = {
    launcherPid: process.pid,
    children: children.flatMap((c) => (c.pid ? [{ name: c.name, pid: c.pid }] : [])),
  };
  writeFileSync(path.join(dataDir, "processes.json"), `${JSON.stringify(record)}\n`);
}
