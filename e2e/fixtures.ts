import { test as base, expect, type Page } from "@playwright/test";
import { e2e } from "../playwright.config";

export const admin = { name: "Ada Admin", email: "ada@example.com", password: "correct horse battery" };

/** A page signed in as the admin created by the first-run test. */
export const test = base.extend<{ agent: Page }>({
  agent: async ({ page }, use) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/inbox/);
    await use(page);
  },
});

export { e2e, expect };

/** Unique text per run, so assertions never match an earlier test's messages. */
export const unique = (label: string) => `${label} ${Date.now().toString(36)}`;
