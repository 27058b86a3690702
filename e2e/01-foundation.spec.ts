import type { Request } from "@playwright/test";
import { admin, e2e, expect, expectAccessible, test, unique } from "./fixtures";

test.describe.configure({ mode: "serial" });

test("first run creates the admin, who can then sign out and sign in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup/);
  await expectAccessible(page);
  await page.getByLabel("Name").fill(admin.name);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Create admin" }).click();
  await expect(page).toHaveURL(/\/inbox/);
  await expect(page.getByText(admin.name).first()).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await expectAccessible(page);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  // Next.js's route announcer is an alert too: pick ours by its text.
  await expect(page.getByRole("alert").filter({ hasText: "do not match" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/inbox/);

  // The first-run page is closed once an admin exists.
  await page.goto("/setup");
  await expect(page).not.toHaveURL(/\/setup/);

  // An unknown address answers a styled 404 that leads back.
  await page.goto("/no-such-page");
  await expect(page.getByRole("heading", { name: "This page does not exist" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Back to the inbox" }).click();
  await expect(page).toHaveURL(/\/inbox/);
});

test("a customer message appears live, the agent replies, the customer sees it and the ticks reach read", async ({
  agent,
  context,
}) => {
  // A marker that a reload would erase: the inbox must update without one.
  await agent.evaluate(() => {
    (window as unknown as { noReload: boolean }).noReload = true;
  });

  const phone = await context.newPage();
  await phone.goto(`${e2e.sandboxURL}/phone?waId=16505551234`);
  const question = unique("Do you have the blue one in size 40?");
  await phone.getByLabel("Message").fill(question);
  await phone.getByRole("button", { name: "Send" }).click();

  const conversation = agent.getByRole("link", { name: /Sheena Nelson/ }).first();
  await expect(conversation).toContainText(question);
  await expectAccessible(agent);
  await conversation.click();
  const thread = agent.getByRole("log", { name: "Messages" });
  await expect(thread.getByText(question)).toBeVisible();
  await expectAccessible(agent);

  // A follow-up is drawn from the socket's notice alone: neither the thread nor the list refetches.
  // (Marking it read re-reads the conversation's header, which is not what draws it.)
  const refetches: string[] = [];
  const recordRefetch = (request: Request) => {
    const path = new URL(request.url()).pathname;
    const draws = path === "/api/conversations" || /^\/api\/conversations\/[^/]+\/messages$/.test(path);
    if (request.method() === "GET" && draws) refetches.push(path);
  };
  agent.on("request", recordRefetch);
  const followUp = unique("And in red?");
  await phone.getByLabel("Message").fill(followUp);
  await phone.getByRole("button", { name: "Send" }).click();
  await expect(thread.getByText(followUp)).toBeVisible({ timeout: 5_000 });
  await expect(conversation).toContainText(followUp, { timeout: 5_000 });
  agent.off("request", recordRefetch);
  expect(refetches).toEqual([]);

  const answer = unique("Yes, we have it in stock");
  await agent.getByRole("textbox", { name: "Message" }).fill(answer);
  await agent.keyboard.press("Enter");
  await expect(thread.getByText(answer)).toBeVisible();

  await expect(phone.getByRole("log", { name: "Chat" }).getByText(answer)).toBeVisible();
  const bubble = thread.locator("[data-message-id]", { hasText: answer });
  await expect(bubble.getByLabel("Status: read")).toBeVisible({ timeout: 15_000 });
  await expect(bubble).toContainText(admin.name);

  expect(await agent.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true);
});
