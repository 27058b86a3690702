import type { ChildProcess } from "node:child_process";

export type SupervisorPolicy = {
  /** This many unexpected exits of one process within `crashWindowMs` is a crash loop: give up. */
  crashLimit: number;
  crashWindowMs: number;
  /** Delay before the nth restart within the window (n starts at 1). */
  backoffMs: (restart: number) => number;
  /** How long a stopping process gets after SIGTERM (or its own stop signal) before SIGKILL. */
  stopTimeoutMs: number;
};

export const defaultPolicy: SupervisorPolicy = {
  crashLimit: 5,
  crashWindowMs: 60_000,
  backoffMs: (restart) => Math.min(500 * 2 ** (restart - 1), 10_000),
  stopTimeoutMs: 8_000,
};

type Unit = {
  name: string;
  start: () => ChildProcess | Promise<ChildProcess>;
  stopSignal: NodeJS.Signals;
  proc: ChildProcess | null;
  crashes: number[];
  timer: NodeJS.Timeout | null;
};

const hasExited = (proc: ChildProcess) => proc.exitCode !== null || proc.signalCode !== null;

/**
 * Keeps processes running: one that exits without being asked to is started again after a growing
 * delay, with a log line each way. A crash loop (crashLimit exits within crashWindowMs) or a
 * restart that cannot start at all calls onGiveUp, and the caller stops everything.
 */
export function createSupervisor(options: {
  log: (line: string) => void;
  onGiveUp: (name: string, reason: string) => void;
  /** Called as soon as a process is seen gone, before its restart is scheduled. */
  onDown?: (name: string) => void;
  /** Called with every (re)started process, e.g. to record the pids. */
  onStarted?: (name: string, proc: ChildProcess) => void;
  policy?: Partial<SupervisorPolicy>;
}) {
  const policy = { ...defaultPolicy, ...options.policy };
  const units: Unit[] = [];
  let stopping = false;

  async function launch(unit: Unit) {
    let proc: ChildProcess;
    try {
      // No await for a synchronous spawn: a spawn failure is reported on the next tick, before
      // an awaited continuation could attach the listeners below.
      const started = unit.start();
      proc = started instanceof Promise ? await started : started;
    } catch (error) {
      crashed(unit, `could not start: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    // A stop requested while an asynchronous start was in flight still applies to it.
    if (stopping) {
      if (!hasExited(proc)) proc.kill(unit.stopSignal);
      return;
    }
    unit.proc = proc;
    if (unit.crashes.length) options.log(`${unit.name} restarted (pid ${proc.pid})`);
    // A process that cannot be spawned reports "error", possibly with "exit" too: count it once.
    const gone = (what: string) => {
      if (stopping || unit.proc !== proc) return;
      unit.proc = null;
      crashed(unit, what);
    };
    proc.once("exit", (code, signal) => gone(`exited (${signal ?? `code ${code}`})`));
    proc.once("error", (error) => gone(`failed: ${error.message}`));
    options.onStarted?.(unit.name, proc);
  }

  function crashed(unit: Unit, what: string) {
    if (stopping) return;
    const now = Date.now();
    unit.crashes = [...unit.crashes.filter((at) => now - at < policy.crashWindowMs), now];
    options.onDown?.(unit.name);
    const restarts = unit.crashes.length;
    if (restarts >= policy.crashLimit) {
      // The caller logs the reason as it stops everything.
      options.onGiveUp(unit.name, `${unit.name} ${what}, failing ${restarts} times within ${policy.crashWindowMs / 1000} s`);
      return;
    }
    const delay = policy.backoffMs(restarts);
    const wait = delay < 1000 ? `${delay} ms` : `${(delay / 1000).toFixed(1)} s`;
    options.log(`${unit.name} ${what}; restarting in ${wait} (restart ${restarts})`);
    unit.timer = setTimeout(() => {
      unit.timer = null;
      if (!stopping) void launch(unit);
    }, delay);
  }

  return {
    /** Starts a process and keeps it running. `start` returns the spawned process, already running. */
    async supervise(name: string, start: Unit["start"], opts: { stopSignal?: NodeJS.Signals } = {}) {
      const unit: Unit = { name, start, stopSignal: opts.stopSignal ?? "SIGTERM", proc: null, crashes: [], timer: null };
      units.push(unit);
      await launch(unit);
    },

    running: () => units.flatMap((u) => (u.proc?.pid ? [{ name: u.name, pid: u.proc.pid }] : [])),

    /**
     * No more restarts from now on, nothing killed yet: for processes that must outlive others
     * while everything stops, yet may exit on their own meanwhile (Ctrl-C reaches the whole group).
     */
    holdRestarts() {
      stopping = true;
      for (const unit of units) if (unit.timer) clearTimeout(unit.timer);
    },

    /** Stops every process (no more restarts), waiting for each, SIGKILL after the timeout. */
    async stop() {
      stopping = true;
      await Promise.all(
        units.map((unit) => {
          if (unit.timer) clearTimeout(unit.timer);
          const proc = unit.proc;
          unit.proc = null;
          if (!proc || hasExited(proc)) return null;
          return new Promise((resolve) => {
            const timer = setTimeout(() => {
              proc.kill("SIGKILL");
              resolve(null);
            }, policy.stopTimeoutMs);
            proc.once("exit", () => {
              clearTimeout(timer);
              resolve(null);
            });
            proc.kill(unit.stopSignal);
          });
        }),
      );
    },
  };
}

export type Supervisor = ReturnType<typeof createSupervisor>;
