import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end tests drive the whole system (web, realtime, worker, Meta sandbox) started by the
 * launcher on ports of their own, against a fresh database, in Debian's Chromium.
 */
// E2E_PORT lets several checkouts run the suite side by side on one machine.
const PORT = Number(process.env.E2E_PORT ?? 3100);
export const e2e = {
  baseURL: `http://127.0.0.1:${PORT}`,
  sandboxURL: `http://127.0.0.1:${PORT + 2}`,
  // Opens /api/metrics for the tests that read it.
  metricsToken: "e2e-metrics-token-0123456789",
};

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // A focused test would make CI pass on a fraction of the suite.
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL: e2e.baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 } } }],
  webServer: {
    // The production start: the compiled launcher and processes built by `npm run build`, one
    // process each (no transpiler in front), so the launcher stops its children in order.
    command: "node dist/launch.mjs start",
    url: `${e2e.baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      ...(process.env.E2E_DATABASE_URL ? { DATABASE_URL: process.env.E2E_DATABASE_URL } : {}),
      PORT: String(PORT),
      REALTIME_PORT: String(PORT + 1),
      SANDBOX_PORT: String(PORT + 2),
      EMBEDDED_POSTGRES_PORT: String(PORT + 10),
      TANDEM_DATA_DIR: ".data/e2e",
      META_APP_ID: "",
      SANDBOX_STATUS_DELAY_MS: "300",
      TANDEM_METRICS_TOKEN: e2e.metricsToken,
      // Onboarding syncs take a few seconds, long enough to watch them progress.
      SANDBOX_SYNC_SPAN_MS: "3000",
    },
  },
});
