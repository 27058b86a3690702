/**
 * `npm test`: the whole suite against a real PostgreSQL. Uses DATABASE_URL's server when set
 * (CI), otherwise an embedded PostgreSQL in .data/test. Each level gets a freshly created database:
 * unit and integration tests (vitest), then a production build and the end-to-end tests
 * (Playwright, Debian Chromium) against the whole system and the Meta sandbox.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { recreateDatabase } from "@/db/migrate";
import { loadGeneratedSecrets } from "./launcher/data-dir";
import { startEmbeddedPostgres } from "./launcher/embedded-postgres";

const log = (line: string) => console.log(`[test] ${line}`);
const dataDir = path.resolve(".data/test");
let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | null = null;

let baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  const { POSTGRES_PASSWORD } = loadGeneratedSecrets(dataDir);
  embedded = await startEmbeddedPostgres({ dataDir, port: 54339, password: POSTGRES_PASSWORD, log });
  baseUrl = embedded.url;
}
// Databases of their own, named after DATABASE_URL's (tandem_ci -> tandem_ci_integration, ...).
const baseName = decodeURIComponent(new URL(baseUrl).pathname.slice(1)) || "tandem";
const withDatabase = (suffix: string) => {
  const url = new URL(baseUrl);
  url.pathname = `/${baseName}_${suffix}`;
  return url.toString();
};

type Level = "unit" | "integration" | "end-to-end";
type Counts = { passed: number; failed: number; skipped: number };
const levels: Record<Level, Counts> = {
  unit: { passed: 0, failed: 0, skipped: 0 },
  integration: { passed: 0, failed: 0, skipped: 0 },
  "end-to-end": { passed: 0, failed: 0, skipped: 0 },
};
let failedSteps: string[] = [];

// A focused (`.only`) test fails the run under CI in both runners; `npm test` is what CI runs.
const ciEnv = { CI: process.env.CI || "1" };

function run(step: string, command: string, args: string[], env: Record<string, string> = {}) {
  log(`${step}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) failedSteps = [...failedSteps, step];
  return result.status === 0;
}

type VitestReport = { testResults?: { name: string; assertionResults?: { status: string }[] }[] };

function countVitest(file: string) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8")) as VitestReport;
  for (const suite of report.testResults ?? []) {
    const level = suite.name.endsWith(".int.test.ts") ? levels.integration : levels.unit;
    for (const { status } of suite.assertionResults ?? []) {
      if (status === "passed") level.passed++;
      else if (status === "failed") level.failed++;
      else level.skipped++;
    }
  }
}

function countPlaywright(file: string) {
  if (!existsSync(file)) return;
  const stats = JSON.parse(readFileSync(file, "utf8")).stats ?? {};
  const level = levels["end-to-end"];
  level.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  level.failed += stats.unexpected ?? 0;
  level.skipped += stats.skipped ?? 0;
}

const reports = path.resolve(".data/test-reports");
rmSync(reports, { recursive: true, force: true });
const bin = (name: string) => path.resolve("node_modules/.bin", name);

try {
  const intUrl = withDatabase("integration");
  await recreateDatabase(intUrl);
  run(
    "unit + integration",
    bin("vitest"),
    ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${reports}/vitest.json`],
    { ...ciEnv, DATABASE_URL: intUrl },
  );
  countVitest(`${reports}/vitest.json`);

  const e2eUrl = withDatabase("e2e");
  await recreateDatabase(e2eUrl);
  rmSync(path.resolve(".data/e2e"), { recursive: true, force: true });
  if (run("build", "npm", ["run", "build"], { NEXT_TELEMETRY_DISABLED: "1" })) {
    run("end-to-end", bin("playwright"), ["test"], {
      ...ciEnv,
      E2E_DATABASE_URL: e2eUrl,
      PLAYWRIGHT_JSON_OUTPUT_NAME: `${reports}/playwright.json`,
    });
    countPlaywright(`${reports}/playwright.json`);
  }
} finally {
  await embedded?.stop();
}

for (const [name, counts] of Object.entries(levels)) {
  log(`${name}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ""}`);
}
// A skipped test is a defect: it hides what it was meant to check.
const skipped = Object.values(levels).reduce((n, c) => n + c.skipped, 0);
if (skipped) failedSteps = [...failedSteps, `${skipped} skipped test(s)`];
if (failedSteps.length) log(`failed: ${failedSteps.join(", ")}`);
const passed = Object.values(levels).reduce((n, c) => n + c.passed, 0);
let failed = Object.values(levels).reduce((n, c) => n + c.failed, 0);
// A step that failed before reporting tests (a build, a crashed runner) still counts as a failure.
if (failedSteps.length && failed === 0) failed = failedSteps.length;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedSteps.length ? 1 : 0);
