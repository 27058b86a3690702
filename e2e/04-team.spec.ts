import type { Browser, Page } from "@playwright/test";
import { admin, e2e, expect, test, unique } from "./fixtures";

const shots = process.env.SCREENSHOT_DIR;
const shot = async (page: Page, name: string) => {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
};

/** The admin invites someone to the first number on Settings > Team and copies the link. */
async function invite(adminPage: Page, email: string) {
  await adminPage.goto("/settings/team");
  await adminPage.getByLabel("Email").fill(email);
  await adminPage.getByRole("group", { name: "Numbers they will see" }).getByRole("checkbox").first().check();
  await adminPage.getByRole("button", { name: "Create invitation link" }).click();
  const link = await adminPage.getByLabel("Invitation link").inputValue();
  expect(link).toContain("/invite/");
  return link;
}

/** The invitee opens the link in a browser of their own and joins. */
async function accept(browser: Browser, link: string, name: string, password: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Join the team" }).click();
  await expect(page).toHaveURL(/\/inbox/);
  return { context, page };
}

// Only the socket delivers these (alerts, presence, sign-out); the polling fallback would need 15 s.
const LIVE = { timeout: 5_000 };

test("an invited agent joins in a second browser, gets an assignment live, sees and is seen by the admin, and is signed out at once when deactivated", async ({
  agent: adminPage,
  browser,
  request,
}) => {
  const agentName = "Bo Agent";
  const agentEmail = `bo-${Date.now().toString(36)}@example.com`;

  // The admin invites Bo to the demo number and copies the link; Bo joins in a browser of their own.
  const link = await invite(adminPage, agentEmail);
  await expect(adminPage.getByRole("region", { name: "Pending invitations" })).toContainText(agentEmail);
  await shot(adminPage, "team-invite");

  const { context: boContext, page: bo } = await accept(browser, link, agentName, "bo's long password");
  await bo.goto("/inbox?view=mine");
  await expect(bo.getByRole("status").filter({ hasText: "Live" })).toBeAttached();
  await bo.goto(link);
  await expect(bo.getByRole("heading", { name: "This invitation cannot be used" })).toBeVisible();
  // Agents have Account settings, not the team's.
  await bo.goto("/settings/team");
  await expect(bo.getByRole("heading", { name: "Admins only" })).toBeVisible();
  await expect(bo.getByRole("navigation", { name: "Settings" }).getByRole("link")).toHaveText(["Account"]);
  await bo.goto("/settings/account");
  await expect(bo.getByRole("checkbox", { name: "A conversation is assigned to me" })).toBeChecked();
  await shot(bo, "account");
  await bo.goto("/inbox?view=mine");

  // A customer writes; the admin assigns the conversation to Bo.
  const customer = unique("Grace Hopper");
  const waId = `1650${String(Date.now()).slice(-7)}`;
  const question = unique("Is my order on its way?");
  expect(
    (await request.post(`${e2e.sandboxURL}/phone/api/messages`, { data: { waId, name: customer, text: question } })).ok(),
  ).toBe(true);
  await adminPage.goto("/inbox");
  await adminPage
    .getByRole("link", { name: new RegExp(customer) })
    .first()
    .click();
  await expect(adminPage.getByRole("log", { name: "Messages" }).getByText(question)).toBeVisible();
  await adminPage.getByLabel("Assignee").selectOption({ label: agentName });
  await expect(adminPage.getByLabel("Assignee")).toHaveValue(/./);
  await expect(adminPage.getByText(/Not saved/)).toBeHidden();

  // Bo's Mine view gets it with an alert, without a reload.
  const alert = bo.getByRole("region", { name: "Notifications" }).getByRole("status").filter({ hasText: "Assigned to you" });
  await expect(alert).toContainText(customer, LIVE);
  await expect(bo.getByRole("list", { name: "Conversation list" }).getByRole("link", { name: new RegExp(customer) })).toBeVisible(
    LIVE,
  );
  await alert.getByRole("button", { name: /Assigned to you/ }).click();
  await expect(bo.getByRole("log", { name: "Messages" }).getByText(question)).toBeVisible();

  // A new customer nobody is viewing: Bo hears of the new conversation, and the tab title counts it.
  const newcomer = unique("Mary Shelley");
  const hello = { waId: `1650${String(Date.now() + 1).slice(-7)}`, name: newcomer, text: unique("Hello, anyone there?") };
  expect((await request.post(`${e2e.sandboxURL}/phone/api/messages`, { data: hello })).ok()).toBe(true);
  const alerts = bo.getByRole("region", { name: "Notifications" });
  await expect(alerts.getByRole("status").filter({ hasText: "New conversation" })).toContainText(newcomer, LIVE);
  await expect
    .poll(async () => {
      const { unread } = (await (await bo.request.get("/api/conversations/counts")).json()) as { unread: { all: number } };
      return unread.all > 0 && (await bo.title()) === `(${unread.all}) Inbox · Tandem`;
    }, LIVE)
    .toBe(true);
  await shot(bo, "alerts");

  // Each sees the other viewing, then typing.
  const adminPresence = adminPage.getByRole("status", { name: "Teammates here" });
  const boPresence = bo.getByRole("status", { name: "Teammates here" });
  await expect(adminPresence).toContainText(`${agentName} is viewing`, LIVE);
  await expect(boPresence).toContainText(`${admin.name} is viewing`, LIVE);
  await bo.getByRole("textbox", { name: "Message" }).fill("Let me check that for");
  await expect(adminPresence).toContainText(`${agentName} is typing`, LIVE);
  await adminPage.getByRole("textbox", { name: "Message" }).fill("On it");
  await expect(boPresence).toContainText(`${admin.name} is typing`, LIVE);
  await shot(bo, "presence-agent");
  await shot(adminPage, "presence-admin");

  // The admin sends while Bo still has a draft: Bo's composer says so.
  await adminPage.getByRole("textbox", { name: "Message" }).fill(unique("It left the warehouse this morning"));
  await adminPage.keyboard.press("Enter");
  await expect(bo.getByRole("alert").filter({ hasText: `${admin.name} replied while you were writing` })).toBeVisible(LIVE);
  await shot(bo, "collision");

  // Deactivation signs Bo out at once.
  const conversationUrl = bo.url();
  await adminPage.goto("/settings/team");
  await adminPage
    .getByRole("article", { name: agentName })
    .getByRole("button", { name: `Deactivate ${agentName}` })
    .click();
  await expect(bo).toHaveURL(/\/login/, LIVE);
  await bo.goto(conversationUrl);
  await expect(bo).toHaveURL(/\/login/);
  await bo.getByLabel("Email").fill(agentEmail);
  await bo.getByLabel("Password").fill("bo's long password");
  await bo.getByRole("button", { name: "Sign in" }).click();
  await expect(bo.getByRole("alert").filter({ hasText: "do not match" })).toBeVisible();
  await boContext.close();
});

test("an agent taken off a number loses its open conversation at once, and cannot open it by URL", async ({
  agent: adminPage,
  browser,
  request,
}) => {
  const agentName = "Cy Agent";
  const agentEmail = `cy-${Date.now().toString(36)}@example.com`;
  const link = await invite(adminPage, agentEmail);
  const { context: cyContext, page: cy } = await accept(browser, link, agentName, "cy's long password");

  const customer = unique("Alan Turing");
  const question = unique("Do you ship to Manchester?");
  const waId = `4477${String(Date.now()).slice(-7)}`;
  expect(
    (await request.post(`${e2e.sandboxURL}/phone/api/messages`, { data: { waId, name: customer, text: question } })).ok(),
  ).toBe(true);
  await cy
    .getByRole("link", { name: new RegExp(customer) })
    .first()
    .click();
  await expect(cy.getByRole("log", { name: "Messages" }).getByText(question)).toBeVisible();
  await expect(cy.getByRole("status").filter({ hasText: "Live" })).toBeAttached();

  await adminPage.reload();
  const card = adminPage.getByRole("article", { name: agentName });
  await card.getByRole("checkbox").first().uncheck();
  await card.getByRole("button", { name: "Save numbers" }).click();
  await expect(card.getByRole("button", { name: "Save numbers" })).toBeHidden();

  await expect(cy.getByText("This conversation does not exist, or you do not have access to its number.")).toBeVisible(LIVE);
  await expect(cy.getByRole("list", { name: "Conversation list" }).getByRole("link", { name: new RegExp(customer) })).toBeHidden(
    LIVE,
  );
  await cy.reload();
  await expect(cy.getByText("This conversation does not exist, or you do not have access to its number.")).toBeVisible();
  await cyContext.close();
});
