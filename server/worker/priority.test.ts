import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("lowering the worker's priority", () => {
  it("lowers every thread of the process, V8's own included", () => {
    // A fresh process, as the worker starts: V8's threads exist before any of our code runs.
    const script = `
      import { readdirSync, readFileSync } from "node:fs";
      import { lowerProcessPriority } from ${JSON.stringify(path.resolve("server/worker/priority.ts"))};
      lowerProcessPriority(7);
      const nice = (t) => readFileSync("/proc/self/task/" + t + "/stat", "utf8").split(") ")[1].split(" ")[16];
      console.log(JSON.stringify(readdirSync("/proc/self/task").map(nice)));`;
    const output = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
    const niceness = JSON.parse(output) as string[];
    expect(niceness.length).toBeGreaterThan(1);
    expect(new Set(niceness)).toEqual(new Set(["7"]));
  });
});
