import { readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, test as base, expect, type Locator, type Page } from "@playwright/test";
import { e2e } from "../playwright.config";

export const admin = { name: "Ada Admin", email: "ada@example.com", password: "correct horse battery" };

/**
 * Runs axe-core with the WCAG 2.1 A and AA rules on a Tandem page and fails on any violation,
 * naming each rule and the elements it flagged.
 */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  expect(found, `accessibility violations on ${page.url()}`).toEqual([]);
}

/**
 * Keeps a screenshot of what a test looks at, for a person to check, in E2E_SCREENSHOTS_DIR; none
 * when it is unset. A page is taken whole, an element as it is drawn.
 */
export async function screenshot(target: Page | Locator, name: string) {
  const dir = process.env.E2E_SCREENSHOTS_DIR;
  if (!dir) return;
  const file = path.join(dir, `${name}.png`);
  await ("goto" in target ? target.screenshot({ path: file, fullPage: true }) : target.screenshot({ path: file }));
}

const isTandemPage = (page: Page) => !page.isClosed() && page.url().startsWith(e2e.baseURL);

const cspViolations = new WeakMap<Page, string[]>();
/** Content-Security-Policy violations the page reported so far (a test that provokes one clears it). */
export const cspViolationsOf = (page: Page) => cspViolations.get(page) ?? [];

/**
 * Every page of every test fails on a Content-Security-Policy violation, so a new inline script
 * or an origin missing from the policy is caught where it is introduced. A page signed in as the
 * admin created by the first-run test.
 */
export const test = base.extend<{ agent: Page; accessibleAtEnd: undefined }>({
  page: async ({ page }, use) => {
    const violations: string[] = [];
    cspViolations.set(page, violations);
    // Init scripts are injected by the browser's debugging protocol, which CSP does not govern.
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
      });
    });
    page.on("console", (message) => {
      if (message.type() === "error" && /CSP violation|Content Security Policy/.test(message.text())) {
        violations.push(`${page.url()}: ${message.text()}`);
      }
    });
    await use(page);
    expect(violations, "Content-Security-Policy violations reported by the page").toEqual([]);
  },
  agent: async ({ page }, use) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/inbox/);
    await use(page);
  },
  /**
   * Every test ends with an axe check of each Tandem page it left open (the sandbox's phone pages
   * are a test double, not Tandem). Pages a test navigates away from are checked in the test.
   */
  accessibleAtEnd: [
    async ({ context }, use, testInfo) => {
      await use(undefined);
      if (testInfo.status !== testInfo.expectedStatus) return;
      for (const page of context.pages().filter(isTandemPage)) await expectAccessible(page);
    },
    { auto: true },
  ],
});

export { e2e, expect };

/** Unique text per run, so assertions never match an earlier test's messages. */
export const unique = (label: string) => `${label} ${Date.now().toString(36)}`;

/** What the sandbox's phone sends to the demo number: a customer's text, or the business app's (`side`). */
export async function say(request: APIRequestContext, waId: string, text: string, extra: Record<string, string> = {}) {
  const response = await request.post(`${e2e.sandboxURL}/phone/api/messages`, { data: { waId, text, ...extra } });
  expect(response.ok(), `the sandbox phone answered ${response.status()}`).toBe(true);
}

let seq = 0;
/** A new customer of the demo number, who writes first. */
export async function newCustomer(request: APIRequestContext, name: string, text: string) {
  const waId = `1650777${Date.now().toString().slice(-4)}${seq++}`;
  await say(request, waId, text, { name });
  return waId;
}

export const conversationList = (page: Page) => page.getByRole("list", { name: "Conversation list" });

/** Secrets the launcher generated for the system under test (tests play Meta and sign its webhooks). */
export const launcherSecrets = () =>
  JSON.parse(readFileSync(path.resolve(".data/e2e/secrets.json"), "utf8")) as {
    AUTH_SECRET: string;
    META_APP_SECRET: string;
    POSTGRES_PASSWORD: string;
  };

/** The launcher's database: the one `npm test` gives it, or its embedded server (E2E_PORT + 10). */
export const launcherDatabaseUrl = () =>
  process.env.E2E_DATABASE_URL ??
  `postgres://postgres:${encodeURIComponent(launcherSecrets().POSTGRES_PASSWORD)}@127.0.0.1:${Number(new URL(e2e.baseURL).port) + 10}/tandem`;
