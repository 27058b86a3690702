import type { Locator, Page } from "@playwright/test";
import { admin, conversationList, e2e, expect, newCustomer, say, screenshot, test, unique } from "./fixtures";

// A shared machine under load can take a while to start each page.
test.describe.configure({ timeout: 120_000 });

// Live assertions get less than the 15-second polling fallback, so only the socket can pass them.
const LIVE = { timeout: 5_000 };

const inboxNav = (page: Page) => page.getByRole("navigation", { name: "Inbox" });

test("an admin defines a label; it is applied from the thread, shown as a chip, filters the list, and follows a rename live", async ({
  agent,
  context,
  request,
}) => {
  const customer = unique("Lena Label");
  await newCustomer(request, customer, "Do you have the lamp in green?");
  const labelName = `VIP ${Date.now().toString(36)}`;

  const settings = await context.newPage();
  await settings.goto("/settings/labels");
  await settings.getByLabel("Name").fill(labelName);
  // The radio itself is visually hidden behind its chip: pick it by its label, as a person would.
  await settings
    .locator("label")
    .filter({ has: settings.getByRole("radio", { name: "violet" }) })
    .click();
  await expect(settings.getByRole("radio", { name: "violet" })).toBeChecked();
  await settings.getByRole("button", { name: "Create label" }).click();
  await expect(settings.getByRole("list").getByText(labelName)).toBeVisible();
  await screenshot(settings, "settings-labels");

  await conversationList(agent)
    .getByRole("link", { name: new RegExp(customer) })
    .click({ timeout: 30_000 });
  await agent.getByRole("button", { name: "Labels" }).click();
  await agent.getByRole("checkbox", { name: labelName }).check();
  await agent.keyboard.press("Escape");
  await expect(agent.getByRole("checkbox", { name: labelName })).toBeHidden();
  const row = conversationList(agent).getByRole("listitem").filter({ hasText: customer });
  await expect(row).toContainText(labelName);

  await inboxNav(agent).getByRole("link", { name: labelName }).click();
  await expect(conversationList(agent).getByRole("listitem")).toHaveCount(1);
  await expect(conversationList(agent)).toContainText(customer);
  await screenshot(agent, "list-filtered-by-label");

  // Renamed in Settings, the chip in the open inbox follows without a reload.
  const renamed = `${labelName} gold`;
  await settings.getByRole("button", { name: `Edit label ${labelName}` }).click();
  await settings.getByLabel("Name").last().fill(renamed);
  await settings.getByRole("button", { name: "Save" }).click();
  await expect(row).toContainText(renamed, LIVE);
  await settings.close();
});

test("a snoozed conversation waits in Snoozed until the customer writes again, then is back in Open live", async ({
  agent,
  request,
}) => {
  const customer = unique("Sam Snooze");
  const waId = await newCustomer(request, customer, "I will send the photos tomorrow");
  await conversationList(agent)
    .getByRole("link", { name: new RegExp(customer) })
    .click();

  await agent.getByRole("button", { name: "Snooze" }).click();
  await expect(agent.getByRole("button", { name: "Until tomorrow, 9:00" })).toBeVisible();
  await agent.getByRole("button", { name: "For 1 hour" }).click();
  await expect(agent.getByLabel("Conversation status").locator("option:checked")).toHaveText(/Snoozed until/);
  await expect(conversationList(agent)).not.toContainText(customer);

  await inboxNav(agent).getByRole("link", { name: "Snoozed", exact: true }).click();
  const row = conversationList(agent).getByRole("listitem").filter({ hasText: customer });
  await expect(row).toContainText("Snoozed until");
  await screenshot(agent, "list-snoozed");

  await say(request, waId, "Here are the photos");
  await expect(row).toHaveCount(0, LIVE);
  await inboxNav(agent).getByRole("link", { name: "Open", exact: true }).click();
  await expect(conversationList(agent).getByRole("listitem").filter({ hasText: customer })).toBeVisible();
  await expect(agent.getByLabel("Conversation status")).toHaveValue("open");
});

test("a custom snooze time must lie ahead", async ({ agent, request }) => {
  const customer = unique("Cleo Custom");
  await newCustomer(request, customer, "Call me next month");
  await conversationList(agent)
    .getByRole("link", { name: new RegExp(customer) })
    .click();
  await agent.getByRole("button", { name: "Snooze" }).click();
  await agent.getByLabel("Until a time").fill("2020-01-01T09:00");
  await agent.getByRole("button", { name: "Snooze until then" }).click();
  await expect(agent.getByRole("alert").filter({ hasText: "Pick a time in the future." })).toBeVisible();
  // Snoozes are capped at a year: a month ahead, at 9:00 local time.
  const monthAhead = new Date(Date.now() + 30 * 86_400_000);
  const local = new Date(monthAhead.getTime() - monthAhead.getTimezoneOffset() * 60_000).toISOString().slice(0, 11);
  await agent.getByLabel("Until a time").fill(`${local}09:00`);
  await agent.getByRole("button", { name: "Snooze until then" }).click();
  await expect(agent.getByLabel("Conversation status").locator("option:checked")).toHaveText(
    new RegExp(`Snoozed until .*${monthAhead.getFullYear()}.*09:00`),
  );
});

test("the keyboard: a skip link, / to search, j and k, arrows, e resolves, a assigns, Escape closes panels", async ({
  agent,
  request,
}) => {
  const older = unique("Kim Keys");
  await newCustomer(request, older, "First question");
  const newer = unique("Jo Keys");
  await newCustomer(request, newer, "Second question");
  await expect(conversationList(agent)).toContainText(newer, { timeout: 30_000 });

  // The skip link is the first stop and leads past the header to the conversations.
  await agent.keyboard.press("Tab");
  const skip = agent.getByRole("link", { name: "Skip to conversations" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await agent.keyboard.press("Enter");
  await agent.keyboard.press("Tab");
  await expect.poll(() => agent.evaluate(() => document.activeElement?.closest("#conversations") !== null)).toBe(true);

  // `/` focuses the search from anywhere.
  await agent.locator("body").click({ position: { x: 5, y: 300 } });
  await agent.keyboard.press("/");
  await expect(agent.getByRole("searchbox", { name: "Search conversations" })).toBeFocused();
  await agent.keyboard.press("Tab");

  // j opens the next conversation, k the previous one; the list is newest first. Searched down to
  // this test's two, so that no other conversation's late message reorders it meanwhile.
  await agent.getByRole("searchbox", { name: "Search conversations" }).fill("Keys");
  const links = conversationList(agent).getByRole("link");
  await expect(conversationList(agent)).toContainText(older);
  await expect(links).toHaveCount(2);
  const idOf = async (i: number) => new URL((await links.nth(i).getAttribute("href"))!, e2e.baseURL).searchParams.get("c");
  const [first, second] = [await idOf(0), await idOf(1)];
  const opened = () => new URL(agent.url()).searchParams.get("c");
  await agent.locator("body").click({ position: { x: 5, y: 300 } });
  await agent.keyboard.press("j");
  await expect.poll(opened).toBe(first);
  await agent.keyboard.press("j");
  await expect.poll(opened).toBe(second);
  await agent.keyboard.press("k");
  await expect.poll(opened).toBe(first);

  // Arrow keys move the focus within the list.
  await links.nth(0).focus();
  await agent.keyboard.press("ArrowDown");
  await expect(links.nth(1)).toBeFocused();
  await agent.keyboard.press("ArrowUp");
  await expect(links.nth(0)).toBeFocused();

  // a assigns the open conversation to me, e resolves it.
  await agent.locator("body").click({ position: { x: 5, y: 300 } });
  await agent.keyboard.press("a");
  await expect(agent.getByLabel("Assignee").locator("option:checked")).toHaveText(admin.name);
  await agent.keyboard.press("e");
  await expect(agent.getByLabel("Conversation status")).toHaveValue("resolved");

  // Escape closes an open menu, and gives the focus back to its button.
  const snooze = agent.getByRole("button", { name: "Snooze" });
  await snooze.click();
  await expect(agent.getByRole("button", { name: "For 1 hour" })).toBeVisible();
  await agent.keyboard.press("Escape");
  await expect(agent.getByRole("button", { name: "For 1 hour" })).toBeHidden();
  await expect(snooze).toBeFocused();
});

test("on a phone, Escape closes the numbers and views pane", async ({ agent }) => {
  await agent.setViewportSize({ width: 390, height: 800 });
  await agent.goto("/inbox");
  await agent.getByRole("button", { name: "Numbers and views" }).click();
  await expect(inboxNav(agent)).toBeVisible();
  await agent.keyboard.press("Escape");
  await expect(inboxNav(agent)).toBeHidden();
  await expect(agent.getByRole("searchbox", { name: "Search conversations" })).toBeVisible();
});

test("on the narrowest phone (320 px) the top bar and the demo banner keep one line each", async ({ agent }) => {
  await agent.setViewportSize({ width: 320, height: 700 });
  await agent.goto("/inbox");
  const middle = async (control: Locator) => {
    const box = (await control.boundingBox())!;
    return Math.round(box.y + box.height / 2);
  };
  const signOut = agent.getByRole("button", { name: "Sign out" });
  await expect(signOut).toBeVisible();
  const pages = agent.getByRole("navigation", { name: "Pages" });
  expect(await middle(signOut), "Sign out on a row of its own").toBe(await middle(pages.getByRole("link", { name: "Settings" })));
  const simulator = agent.getByRole("link", { name: /Phone simulator/ });
  expect((await simulator.boundingBox())!.height, "the simulator link wraps").toBeLessThan(24);
  expect(await middle(agent.getByText("Demo mode · Meta sandbox")), "the banner wraps").toBe(await middle(simulator));
  await expect(agent.getByRole("button", { name: "New conversation" })).toBeVisible();
  await screenshot(agent, "top-bar-320");
});

test("the sandbox's phone simulator, linked from the demo banner, fits a 320 px phone", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(`${e2e.sandboxURL}/phone`);
  const phone = page.locator("#phones");
  await expect(phone.getByRole("textbox", { name: "Message" })).toBeVisible();
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await expect.poll(overflow, { message: "the simulator is wider than a 320 px phone" }).toBe(0);
  await phone.scrollIntoViewIfNeeded();
  await screenshot(page, "phone-simulator-320");
});

test("phone echoes and agents' replies look different at a glance, and a short thread says Today once", async ({
  agent,
  request,
}) => {
  const customer = unique("Eva Echo");
  const waId = await newCustomer(request, customer, "Is the shop open on Sunday?");
  await say(request, waId, "Yes, from 10:00 to 16:00", { side: "business" });
  await conversationList(agent)
    .getByRole("link", { name: new RegExp(customer) })
    .click();
  const log = agent.getByRole("log", { name: "Messages" });
  await expect(log).toContainText("from 10:00 to 16:00");
  const composer = agent.getByRole("textbox", { name: "Message" });
  await composer.fill("And on holidays we open at noon");
  await composer.press("Enter");
  const agentBubble = log.locator("[data-message-id]", { hasText: "we open at noon" }).locator("div.rounded-xl").first();
  const echoBubble = log.locator("[data-message-id]", { hasText: "from 10:00 to 16:00" }).locator("div.rounded-xl").first();
  await expect(agentBubble).toBeVisible();
  const look = (bubble: typeof agentBubble) =>
    bubble.evaluate((el) => {
      const style = getComputedStyle(el);
      return { background: style.backgroundColor, edge: style.borderRightWidth };
    });
  const [agentLook, echoLook] = [await look(agentBubble), await look(echoBubble)];
  expect(echoLook.background).not.toBe(agentLook.background);
  expect(echoLook.edge).not.toBe(agentLook.edge);

  // A short thread names its day once, in the separator above its first bubble; the band above the
  // log (which covers no bubble, see the long thread's test) names a day only once its separator is
  // scrolled away.
  const thread = agent.getByRole("region", { name: `Conversation with ${customer}` });
  await expect(log.getByText("Today", { exact: true })).toBeVisible();
  await expect(thread.getByText("Today", { exact: true })).toHaveCount(1);
  await screenshot(agent, "thread-echo-agent-day");
});

test("the thread header gives the contact's name room beside its controls, on a desktop and on phones", async ({
  agent,
  request,
}) => {
  const customer = unique("Eva Echeverría");
  await newCustomer(request, customer, "Do you ship to Lisbon?");
  await conversationList(agent)
    .getByRole("link", { name: new RegExp(customer) })
    .click();
  const name = agent.getByRole("heading", { level: 2, name: customer });
  const isWhole = () => name.evaluate((el) => el.scrollWidth <= el.clientWidth);
  await expect(agent.getByRole("combobox", { name: "Conversation status" })).toBeVisible();
  expect(await isWhole(), "the name is cut short on a desktop").toBe(true);
  await screenshot(agent, "thread-header-desktop");
  await agent.setViewportSize({ width: 390, height: 844 });
  const status = agent.getByRole("combobox", { name: "Conversation status" });
  await expect(status).toBeVisible();
  expect(await isWhole(), "the name is cut short on a phone").toBe(true);
  // Status, snooze, assignee and labels share one row on a phone, and each keeps its name.
  const top = async (control: Locator) => (await control.boundingBox())?.y;
  const controls = [
    agent.getByRole("button", { name: "Snooze" }),
    agent.getByRole("combobox", { name: "Assignee" }),
    agent.getByRole("button", { name: "Labels" }),
  ];
  for (const control of controls) expect(await top(control), "a control on a second row").toBe(await top(status));
  await screenshot(agent, "thread-header-phone");
  // And on the narrowest phone.
  await agent.setViewportSize({ width: 320, height: 640 });
  for (const control of controls) expect(await top(control), "a control on a second row at 320 px").toBe(await top(status));
  // The reply box says what it is in the room it has, rather than a hint cut off mid-sentence.
  const placeholderFits = await agent.getByRole("textbox", { name: "Message" }).evaluate((box: HTMLTextAreaElement) => {
    const style = getComputedStyle(box);
    const context = document.createElement("canvas").getContext("2d")!;
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = box.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
    return context.measureText(box.placeholder).width <= room;
  });
  expect(placeholderFits, "the reply box's placeholder is cut short at 320 px").toBe(true);
  await screenshot(agent, "thread-header-320");
});

test("Reply and Note keep drafts of their own: a note's text never moves into a reply, nor reaches the customer", async ({
  agent,
  request,
}) => {
  const customer = unique("Nora Notes");
  const waId = await newCustomer(request, customer, "Can I change my delivery address?");
  await conversationList(agent)
    .getByRole("link", { name: new RegExp(customer) })
    .click();
  const mode = agent.getByRole("radiogroup", { name: "Write a" });
  const reply = agent.getByRole("textbox", { name: "Message" });
  const note = agent.getByRole("textbox", { name: "Note" });
  await mode.getByText("Note", { exact: true }).click();
  const secret = unique("Asked twice before; check the ID");
  await note.fill(secret);
  await mode.getByText("Reply", { exact: true }).click();
  await expect(reply).toHaveValue("");
  const answer = unique("Yes: send us the new address");
  await reply.fill(answer);
  await reply.press("Enter");
  const log = agent.getByRole("log", { name: "Messages" });
  await expect(log).toContainText(answer);
  await expect(reply).toHaveValue("");

  // The note waits in Note, across a reload too.
  await agent.reload();
  await expect(reply).toHaveValue("");
  await mode.getByText("Note", { exact: true }).click();
  await expect(note).toHaveValue(secret);

  const phoneTexts = async () =>
    (
      (await (await request.get(`${e2e.sandboxURL}/phone/api/thread?waId=${waId}`)).json()) as { messages: { text?: string }[] }
    ).messages.map((m) => m.text ?? "");
  await expect.poll(phoneTexts).toContain(answer);
  expect((await phoneTexts()).filter((text) => text.includes(secret))).toEqual([]);
  await expect(log).not.toContainText(secret);
});
