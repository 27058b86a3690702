import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { createSupervisor, type Supervisor } from "./supervisor";

const sleeper = () => spawn("sleep", ["60"], { stdio: "ignore" });
const crasher = () => spawn("sh", ["-c", "exit 3"], { stdio: "ignore" });
const fast = { backoffMs: () => 20, stopTimeoutMs: 2_000 };

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
};

let supervisor: Supervisor | null = null;
afterEach(async () => {
  await supervisor?.stop();
  supervisor = null;
});

describe("the launcher's supervisor", { timeout: 15_000 }, () => {
  it("restarts a process killed with SIGKILL, logs it, reports it down, and leaves the others running", async () => {
    const lines: string[] = [];
    const down: string[] = [];
    const givenUp: string[] = [];
    supervisor = createSupervisor({
      log: (l) => lines.push(l),
      onGiveUp: (name) => givenUp.push(name),
      onDown: (name) => down.push(name),
      policy: fast,
    });
    await supervisor.supervise("worker", sleeper);
    await supervisor.supervise("web", sleeper);
    const before = Object.fromEntries(supervisor.running().map((p) => [p.name, p.pid]));

    process.kill(before.worker!, "SIGKILL");
    await until(() => supervisor!.running().some((p) => p.name === "worker" && p.pid !== before.worker), "a new worker");

    const after = Object.fromEntries(supervisor.running().map((p) => [p.name, p.pid]));
    expect(after.web).toBe(before.web);
    expect(down).toEqual(["worker"]);
    expect(givenUp).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/^worker exited \(SIGKILL\); restarting in 20 ms \(restart 1\)$/));
  });

  it("gives up on a crash loop after the limit of failures within the window", async () => {
    const givenUp: string[] = [];
    let starts = 0;
    supervisor = createSupervisor({
      log: () => {},
      onGiveUp: (name) => givenUp.push(name),
      policy: { ...fast, crashLimit: 5, crashWindowMs: 60_000 },
    });
    await supervisor.supervise("worker", () => {
      starts++;
      return crasher();
    });
    await until(() => givenUp.length > 0, "the supervisor to give up");
    expect(givenUp).toEqual(["worker"]);
    expect(starts).toBe(5);
  });

  it("counts a restart that cannot start as a failure, and waits longer after each one", async () => {
    const lines: string[] = [];
    const givenUp: string[] = [];
    supervisor = createSupervisor({
      log: (l) => lines.push(l),
      onGiveUp: (_name, reason) => givenUp.push(reason),
      policy: { crashLimit: 3, backoffMs: (n) => n * 10 },
    });
    await supervisor.supervise("postgres", () => {
      throw new Error("port taken");
    });
    await until(() => givenUp.length > 0, "the supervisor to give up");
    expect(lines).toEqual([
      "postgres could not start: port taken; restarting in 10 ms (restart 1)",
      "postgres could not start: port taken; restarting in 20 ms (restart 2)",
    ]);
    expect(givenUp).toEqual(["postgres could not start: port taken, failing 3 times within 60 s"]);
  });

  it("counts a command that cannot be spawned as a failure instead of crashing the launcher", async () => {
    const lines: string[] = [];
    const givenUp: string[] = [];
    supervisor = createSupervisor({
      log: (l) => lines.push(l),
      onGiveUp: (name) => givenUp.push(name),
      policy: { ...fast, crashLimit: 2 },
    });
    await supervisor.supervise("sandbox", () => spawn("/nonexistent/tandem-binary", [], { stdio: "ignore" }));
    await until(() => givenUp.length > 0, "the supervisor to give up");
    expect(lines[0]).toMatch(/^sandbox failed: spawn \/nonexistent\/tandem-binary ENOENT; restarting in 20 ms \(restart 1\)$/);
  });

  it("does not restart what it was asked to stop", async () => {
    const lines: string[] = [];
    supervisor = createSupervisor({ log: (l) => lines.push(l), onGiveUp: () => {}, policy: fast });
    await supervisor.supervise("realtime", sleeper);
    const pid = supervisor.running()[0]?.pid ?? 0;
    expect(pid).toBeGreaterThan(0);
    await supervisor.stop();
    expect(() => process.kill(pid, 0)).toThrow();
    await new Promise((r) => setTimeout(r, 100));
    expect(supervisor.running()).toEqual([]);
    expect(lines).toEqual([]);
  });
});
