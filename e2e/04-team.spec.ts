import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { io } from "socket.io-client";
import { admin, e2e, expect, screenshot, test, unique } from "./fixtures";

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

// Two browsers through a whole team story: a shared machine under load needs more than a minute.
test.describe.configure({ timeout: 120_000 });

// Only the socket delivers these (alerts, presence, notes, sign-out); the polling fallback would need 15 s.
const LIVE = { timeout: 3_000 };

type PhoneThread = { messages: { text: string | null }[] };
const phoneTexts = async (request: APIRequestContext, waId: string) =>
  ((await (await request.get(`${e2e.sandboxURL}/phone/api/thread?waId=${waId}`)).json()) as PhoneThread).messages.map(
    (m) => m.text ?? "",
  );

const findConversationId = async (api: APIRequestContext, waId: string) => {
  const list = (await (await api.get(`/api/conversations?search=${waId}`)).json()) as {
    conversations: { id: string; contact: { waId: string } }[];
  };
  return list.conversations.find((c) => c.contact.waId === waId)?.id ?? null;
};

/** Switches a composer between a reply to the customer and a note for the team. */
const composeAs = (page: Page, mode: "Reply" | "Note") =>
  page.getByRole("radiogroup", { name: "Write a" }).getByText(mode, { exact: true }).click();

test("an invited agent joins in a second browser, gets an assignment live, sees and is seen by the admin, and is signed out at once when deactivated", async ({
  agent: adminPage,
  browser,
  request,
}) => {
  const agentName = unique("Bo");
  const agentEmail = `bo-${Date.now().toString(36)}@example.com`;

  // The admin invites Bo to the demo number and copies the link; Bo joins in a browser of their own.
  const link = await invite(adminPage, agentEmail);
  await expect(adminPage.getByRole("region", { name: "Pending invitations" })).toContainText(agentEmail);
  await screenshot(adminPage, "team-invite");

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
  await screenshot(bo, "account");
  await bo.goto("/inbox?view=mine");
  // The number's members are read for drawing notes' mentions: not for a thread without notes.
  const memberReads: string[] = [];
  bo.on("request", (r) => {
    if (/\/api\/numbers\/[^/]+\/members/.test(r.url())) memberReads.push(r.url());
  });

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
  // An alert never covers the composer: the agent goes on typing and sending while it shows.
  const alertBox = await alerts.getByRole("status").first().boundingBox();
  for (const control of [bo.getByRole("textbox", { name: "Message" }), bo.getByRole("button", { name: "Send" })]) {
    const box = await control.boundingBox();
    const covers =
      !!alertBox &&
      !!box &&
      alertBox.x < box.x + box.width &&
      box.x < alertBox.x + alertBox.width &&
      alertBox.y < box.y + box.height &&
      box.y < alertBox.y + alertBox.height;
    expect(covers, "a notification covers the composer").toBe(false);
  }
  await screenshot(bo, "alerts");

  // Each sees the other viewing, then typing.
  const adminPresence = adminPage.getByRole("status", { name: "Teammates here" });
  const boPresence = bo.getByRole("status", { name: "Teammates here" });
  await expect(adminPresence).toContainText(`${agentName} is viewing`, LIVE);
  await expect(boPresence).toContainText(`${admin.name} is viewing`, LIVE);
  await bo.getByRole("textbox", { name: "Message" }).fill("Let me check that for");
  await expect(adminPresence).toContainText(`${agentName} is typing`, LIVE);
  await adminPage.getByRole("textbox", { name: "Message" }).fill("On it");
  await expect(boPresence).toContainText(`${admin.name} is typing`, LIVE);
  await screenshot(bo, "presence-agent");
  await screenshot(adminPage, "presence-admin");

  // The admin writes a note mentioning Bo, picked from the suggestions: Bo sees it at once, with an alert.
  // The note has a draft of its own: the reply being typed stays in Reply. Bo reads that it is a note.
  await composeAs(adminPage, "Note");
  const noteBox = adminPage.getByRole("textbox", { name: "Note" });
  await expect(noteBox).toHaveValue("");
  await noteBox.pressSequentially(`@${agentName.slice(0, -1)}`);
  await expect(boPresence).toContainText(`${admin.name} is writing a note`, LIVE);
  await expect(boPresence).not.toContainText("typing a reply");
  await screenshot(bo, "presence-note");
  await expect(adminPage.getByRole("listbox", { name: "Teammates to mention" }).getByRole("option")).toHaveText([
    `@${agentName}Agent`,
  ]);
  // A busy page draws its next frame late: what is typed right after the pick still lands after
  // the mention (the caret was once put back after a frame, so "courier" became "ourier … c").
  await adminPage.evaluate(() => {
    const page = window as unknown as { drawFrame?: typeof requestAnimationFrame };
    page.drawFrame = window.requestAnimationFrame;
    window.requestAnimationFrame = (draw) => window.setTimeout(() => page.drawFrame!(draw), 500);
  });
  await noteBox.press("Enter");
  const noteText = unique("courier says Tuesday");
  await noteBox.press(noteText[0]!);
  // The late frame comes (after anything the composer left for it), then the rest is typed.
  await adminPage.evaluate(() => new Promise((drawn) => window.requestAnimationFrame(drawn)));
  await noteBox.pressSequentially(noteText.slice(1));
  await expect(noteBox).toHaveValue(`@${agentName} ${noteText}`);
  await adminPage.evaluate(() => {
    window.requestAnimationFrame = (window as unknown as { drawFrame: typeof requestAnimationFrame }).drawFrame;
  });
  expect(memberReads, "Bo's thread read the number's members before it held a note").toEqual([]);
  await adminPage.getByRole("button", { name: "Add note" }).click();
  const boNote = bo.getByRole("log", { name: "Messages" }).getByRole("note", { name: `Note by ${admin.name}` });
  await expect(boNote).toContainText(`@${agentName} ${noteText}`, LIVE);
  // The mention is drawn as the whole name it names, the lower-case word of the test's name too.
  await expect(boNote.locator("strong")).toHaveText(`@${agentName}`);
  await expect(alerts.getByRole("status").filter({ hasText: "Mentioned you in a note" })).toContainText(noteText, LIVE);
  await screenshot(bo, "note-with-mention");

  // The admin replies while Bo still has a draft: Bo's composer says so.
  await composeAs(adminPage, "Reply");
  await expect(adminPage.getByRole("textbox", { name: "Message" })).toHaveValue("On it");
  const answer = unique("It left the warehouse this morning");
  await adminPage.getByRole("textbox", { name: "Message" }).fill(answer);
  await adminPage.keyboard.press("Enter");
  await expect(bo.getByRole("alert").filter({ hasText: `${admin.name} replied while you were writing` })).toBeVisible(LIVE);
  await screenshot(bo, "collision");

  // The reply, sent after the note, reaches the customer's phone; the note never does.
  await expect.poll(() => phoneTexts(request, waId)).toContain(answer);
  expect((await phoneTexts(request, waId)).filter((text) => text.includes(noteText))).toEqual([]);

  // A mention in a conversation Bo is not viewing stays listed, across a reload, until Bo opens it.
  const newcomerId = await findConversationId(adminPage.request, hello.waId);
  const mention = unique("please greet");
  expect(
    (
      await adminPage.request.post(`/api/conversations/${newcomerId}/notes`, {
        headers: { origin: e2e.baseURL },
        data: { clientKey: crypto.randomUUID(), text: `@${agentName} ${mention}` },
      })
    ).status(),
  ).toBe(201);
  const mentions = bo.getByRole("navigation", { name: "Inbox" }).getByRole("region", { name: "Mentions" });
  await expect(mentions.getByRole("link")).toContainText([mention], LIVE);
  await bo.reload();
  await expect(mentions.getByRole("link")).toContainText([`${admin.name} in ${newcomer}`]);
  await mentions.getByRole("link").first().click();
  await expect(bo.getByRole("log", { name: "Messages" }).getByRole("note")).toContainText(mention);
  await expect(mentions).toBeHidden();

  // Deactivation signs Bo out at once.
  const conversationUrl = bo.url();
  await adminPage.goto("/settings/team");
  await adminPage
    .getByRole("article", { name: agentName })
    .getByRole("button", { name: `Deactivate ${agentName}` })
    .click();
  // The socket's notice is immediate; the allowance covers loading the sign-in page, still far below polling's 15 s.
  await expect(bo).toHaveURL(/\/login/, { timeout: 5_000 });
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
  const agentName = unique("Cy");
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

  // Nor by socket: the sidecar refuses to let Cy watch it.
  const conversationId = new URL(cy.url()).searchParams.get("c");
  const { token, url } = (await (
    await cy.request.post("/api/realtime/token", { headers: { origin: e2e.baseURL }, data: {} })
  ).json()) as { token: string; url: string };
  const socket = io(url, { transports: ["websocket"], auth: { token }, reconnection: false, forceNew: true });
  try {
    await new Promise((resolve, reject) => socket.once("connect", () => resolve(undefined)).once("connect_error", reject));
    expect(await socket.timeout(3_000).emitWithAck("conversation:watch", conversationId)).toEqual({
      ok: false,
      error: "NOT_FOUND",
    });
  } finally {
    socket.disconnect();
  }
  await cyContext.close();
});

test("an admin saves a canned reply for a number; typing its /shortcut in the composer inserts it with the customer's name", async ({
  agent: adminPage,
  request,
}) => {
  const shortcut = `eta${Date.now().toString(36)}`;
  await adminPage.goto("/settings/replies");
  const form = adminPage.getByRole("form", { name: "New canned reply" }).first();
  await form.getByLabel("Shortcut").fill(`/${shortcut}`);
  await form.getByLabel("Text").fill("Hi {{first_name}}, your parcel arrives tomorrow.");
  await form.getByRole("button", { name: "Add canned reply" }).click();
  await expect(adminPage.getByRole("list", { name: /Canned replies of/ }).first()).toContainText(`/${shortcut}`);
  await screenshot(adminPage, "replies-settings");

  const customer = unique("Katherine Johnson");
  const waId = `1650${String(Date.now()).slice(-7)}`;
  expect(
    (
      await request.post(`${e2e.sandboxURL}/phone/api/messages`, { data: { waId, name: customer, text: unique("Any news?") } })
    ).ok(),
  ).toBe(true);
  await adminPage.goto("/inbox");
  await adminPage
    .getByRole("link", { name: new RegExp(customer) })
    .first()
    .click();
  const box = adminPage.getByRole("textbox", { name: "Message" });
  await box.pressSequentially(`/${shortcut.slice(0, 5)}`);
  const suggestions = adminPage.getByRole("listbox", { name: "Canned replies" });
  await expect(suggestions.getByRole("option", { name: new RegExp(`/${shortcut}`) })).toBeVisible();
  await screenshot(adminPage, "canned-suggestions");
  await box.press("Tab");
  await expect(box).toHaveValue("Hi Katherine, your parcel arrives tomorrow.");
  await expect(suggestions).toBeHidden();
});
