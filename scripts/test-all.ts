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

type Totals = { passed: number; failed: number };
const totals: Totals = { passed: 0, failed: 0 };
let failedSteps: string[] = [];

function run(step: string, command: string, args: string[], env: Record<string, string> = {}) {
  log(`${step}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) failedSteps = [...failedSteps, step];
  return result.status === 0;
}

function countVitest(file: string) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8"));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed +=
    (report.numFailedTests ?? 0) +
    (report.numTotalTests -
      report.numPassedTests -
      report.numFailedTests -
      (report.numPendingTests ?? 0) -
      (report.numTodoTests ?? 0));
}

function countPlaywright(file: string) {
  if (!existsSync(file)) return;
  const stats = JSON.parse(readFileSync(file, "utf8")).stats ?? {};
  totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  totals.failed += stats.unexpected ?? 0;
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
    {
      DATABASE_URL: intUrl,
    },
  );
  countVitest(`${reports}/vitest.json`);

  const e2eUrl = withDatabase("e2e");
  await recreateDatabase(e2eUrl);
  rmSync(path.resolve(".data/e2e"), { recursive: true, force: true });
  if (run("build", "npm", ["run", "build"], { NEXT_TELEMETRY_DISABLED: "1" })) {
    run("end-to-end", bin("playwright"), ["test"], {
      E2E_DATABASE_URL: e2eUrl,
      PLAYWRIGHT_JSON_OUTPUT_NAME: `${reports}/playwright.json`,
    });
    countPlaywright(`${reports}/playwright.json`);
  }
} finally {
  await embedded?.stop();
}

if (failedSteps.length) log(`failed: ${failedSteps.join(", ")}`);
// A step that failed before reporting tests (a build, a crashed runner) still counts as a failure.
if (failedSteps.length && totals.failed === 0) totals.failed = failedSteps.length;
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(failedSteps.length ? 1 : 0);
