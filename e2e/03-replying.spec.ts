import type { APIRequestContext } from "@playwright/test";
import { e2e, expect, screenshot, test, unique } from "./fixtures";

test.describe.configure({ mode: "serial" });

const MARCUS = "12125557890";
const SHEENA = "16505551234";

async function sandbox<T>(request: APIRequestContext, path: string, data?: unknown): Promise<T> {
  const response =
    data === undefined ? await request.get(`${e2e.sandboxURL}${path}`) : await request.post(`${e2e.sandboxURL}${path}`, { data });
  expect(response.ok(), `${path} answered ${response.status()}`).toBe(true);
  return (await response.json()) as T;
}

type PhoneThread = { messages: { from: string; type: string; text: string }[] };

test("behind a closed window the picker explains why, and a template with variables reaches the phone filled in", async ({
  agent,
  request,
}) => {
  // Marcus wrote only before the number was connected: his conversation comes from the history sync.
  const state = await sandbox<{ syncs: { history: { finishedAt: string | null } | null } }>(request, "/sandbox/api/state");
  if (!state.syncs.history) {
    await sandbox(request, "/sandbox/api/sync", { kind: "contacts" });
    await sandbox(request, "/sandbox/api/sync", { kind: "history", choice: "share" });
  }
  // Imported conversations wait in Resolved until their customer writes again.
  await agent.getByRole("navigation", { name: "Inbox" }).getByRole("link", { name: "Resolved", exact: true }).click();
  await agent
    .getByRole("link", { name: /Marcus Lee/ })
    .first()
    .click({ timeout: 30_000 });
  const picker = agent.getByRole("region", { name: "Send a template" });
  await expect(picker).toContainText("has not written since this number was connected");
  await expect(agent.getByRole("textbox", { name: "Message" })).toHaveCount(0);

  // A note for the team needs no window: it never goes to WhatsApp.
  await agent.getByRole("button", { name: "Write a note for the team" }).click();
  const note = unique("Marcus prefers a call after 5");
  await agent.getByRole("textbox", { name: "Note" }).fill(note);
  await agent.getByRole("button", { name: "Add note" }).click();
  await expect(
    agent
      .getByRole("log", { name: "Messages" })
      .getByRole("note", { name: /^Note by / })
      .filter({ hasText: note }),
  ).toBeVisible();
  await agent.getByRole("button", { name: "Back to templates" }).click();

  await picker.getByRole("searchbox", { name: "Search templates" }).fill("order");
  const list = picker.getByRole("list", { name: "Approved templates" });
  await expect(list.getByRole("button")).toHaveCount(1);
  await expect(list).not.toContainText("login_code");
  await list.getByRole("button", { name: /order_update/ }).click();
  const orderNumber = `#${Date.now().toString(36)}`;
  await picker.getByRole("button", { name: "Send template" }).click();
  await expect(picker.getByText("Required").first()).toBeVisible();
  await picker.getByLabel("{{1}}").fill("Marcus");
  await picker.getByLabel("{{2}}").fill(orderNumber);
  await picker.getByLabel("{{3}}").fill("2");
  const filled = `Hi Marcus, your order ${orderNumber} has shipped and should arrive within 2 days.`;
  await expect(picker.getByRole("figure", { name: "Preview" })).toContainText(filled);
  await screenshot(agent, "template-picker-preview");
  await picker.getByRole("button", { name: "Send template" }).click();

  const bubble = agent.getByRole("log", { name: "Messages" }).locator("[data-message-id]", { hasText: filled });
  await expect(bubble).toBeVisible();
  await expect
    .poll(async () => (await sandbox<PhoneThread>(request, `/phone/api/thread?waId=${MARCUS}`)).messages.at(-1)?.text ?? "")
    .toContain(filled);
});

// A 1x1 PNG: enough for WhatsApp's type and size checks and for both phones to show it.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

test("an agent sends a photo with a caption as a quoted reply, and both show on the phone", async ({ agent, request }) => {
  const question = unique("Which colour is the sofa?");
  const asked = await sandbox<{ wamid: string }>(request, "/phone/api/messages", { waId: SHEENA, text: question });
  await agent
    .getByRole("link", { name: /Sheena Nelson/ })
    .first()
    .click();
  const log = agent.getByRole("log", { name: "Messages" });
  const customerBubble = log.locator("[data-message-id]", { hasText: question });
  await customerBubble.hover();
  await customerBubble.getByRole("button", { name: "Reply to this message" }).click();
  const reply = agent.getByRole("form", { name: "Reply" });
  await expect(reply).toContainText(`Replying to Sheena Nelson`);

  await reply
    .getByLabel("Photo or document", { exact: true })
    .setInputFiles({ name: "sofa.png", mimeType: "image/png", buffer: PNG });
  await expect(reply).toContainText("sofa.png");
  const caption = unique("This *forest green* one");
  await reply.getByRole("textbox", { name: "Caption" }).fill(caption);
  await expect(reply.getByRole("note", { name: "Formatting preview" }).locator("strong")).toHaveText("forest green");
  await reply.getByRole("button", { name: "Send" }).click();

  const sent = log.locator("[data-message-id]", { hasText: caption.replace("*forest green*", "forest green") });
  await expect(sent).toBeVisible();
  await expect(sent).toContainText(question);
  await expect(sent.locator("img")).toBeVisible();
  await screenshot(agent, "photo-with-quote");
  await expect
    .poll(async () => {
      const thread = await sandbox<{
        messages: { type: string; text: string; replyTo: string | null; mediaId: string | null }[];
      }>(request, `/phone/api/thread?waId=${SHEENA}`);
      const onPhone = thread.messages.find((m) => m.text === caption);
      return onPhone ? { type: onPhone.type, replyTo: onPhone.replyTo, hasMedia: onPhone.mediaId !== null } : null;
    })
    .toEqual({ type: "image", replyTo: asked.wamid, hasMedia: true });
});

test("a send WhatsApp refuses explains itself in the bubble and in the conversation list", async ({ agent, request }) => {
  await sandbox(request, "/phone/api/messages", { waId: SHEENA, text: unique("Can you deliver on Sunday?") });
  const row = agent.getByRole("link", { name: /Sheena Nelson/ }).first();
  await row.click();
  await sandbox(request, "/sandbox/api/send-faults", { code: 131026, count: 1 });
  const text = unique("Yes, *Sunday* works");
  const reply = agent.getByRole("form", { name: "Reply" });
  await reply.getByRole("textbox", { name: "Message" }).fill(text);
  await reply.getByRole("button", { name: "Send" }).click();

  const bubble = agent.getByRole("log", { name: "Messages" }).locator("[data-message-id]", { hasText: "Sunday works" });
  await expect(bubble).toContainText("Failed: WhatsApp could not deliver this message");
  await expect(bubble).toContainText("Confirm the customer's number");
  await expect(row).toContainText("Failed: WhatsApp could not deliver this message");
  await screenshot(agent, "failed-message-bubble-and-row");
  // Discarded, so it does not hold this conversation's next messages.
  await bubble.getByRole("button", { name: "Discard" }).click();
  await expect(bubble).toHaveCount(0);
  await expect(row).not.toContainText("Failed:");
});

test("an agent reacts to a customer's message, the phone shows it, and removing it clears it", async ({
  agent,
  browser,
  request,
}) => {
  const text = unique("Thanks, it arrived *today*!");
  const sent = await sandbox<{ wamid: string }>(request, "/phone/api/messages", { waId: SHEENA, text });
  const row = agent.getByRole("link", { name: /Sheena Nelson/ }).first();
  // The list's preview drops WhatsApp's formatting markers.
  await expect(row).toContainText(text.replace("*today*", "today"));
  await row.click();
  const bubble = agent.getByRole("log", { name: "Messages" }).locator("[data-message-id]", { hasText: "it arrived" });
  const react = async (choice: string) => {
    await bubble.hover();
    await bubble.getByRole("button", { name: "React to this message" }).click();
    await bubble.getByRole("menuitem", { name: choice }).click();
  };
  await react("React 👍");
  await expect(bubble.getByRole("img", { name: "Reactions: 👍 from the business" })).toBeVisible();
  await screenshot(bubble, "reaction-on-bubble");

  const phone = await browser.newPage();
  await phone.goto(`${e2e.sandboxURL}/phone?waId=${SHEENA}`);
  const onPhone = phone.locator(`[data-wamid="${sent.wamid}"]`).first();
  await expect(onPhone.locator('[data-testid="reaction"]')).toHaveText("👍");
  await screenshot(phone, "reaction-on-phone");

  await react("Remove");
  await expect(bubble.getByRole("img", { name: /Reactions/ })).toHaveCount(0);
  await expect(onPhone.locator('[data-testid="reaction"]')).toHaveCount(0);
  await phone.close();
});

test("the thread stays at the bottom when the last bubble grows", async ({ agent, request }) => {
  const text = unique("One question");
  const sent = await sandbox<{ wamid: string }>(request, "/phone/api/messages", { waId: SHEENA, text });
  await agent
    .getByRole("link", { name: /Sheena Nelson/ })
    .first()
    .click();
  const log = agent.getByRole("log", { name: "Messages" });
  await expect(log.locator("[data-message-id]", { hasText: text })).toBeVisible();
  const distanceFromBottom = () => log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
  await expect.poll(distanceFromBottom).toBeLessThan(2);
  // The customer edits it into a long message: the bubble grows, the log must follow it.
  const long = Array.from({ length: 40 }, (_, i) => `Line ${i + 1} of a longer question`).join("\n");
  await sandbox(request, "/phone/api/messages/edit", { waId: SHEENA, wamid: sent.wamid, text: long, side: "customer" });
  await expect(log.locator("[data-message-id]", { hasText: "Line 40 of a longer question" })).toBeVisible();
  await expect.poll(distanceFromBottom).toBeLessThan(2);
});

test("a window that expires while the thread is open switches the composer to the picker without a reload", async ({
  agent,
  request,
}) => {
  // The page keeps the server clock's offset from its first API answer: reload so that answer
  // is read on the fake clock too.
  await agent.clock.install({ time: new Date() });
  await agent.reload();
  await sandbox(request, "/phone/api/messages", { waId: SHEENA, text: unique("Is the blue one in stock?") });
  await agent
    .getByRole("link", { name: /Sheena Nelson/ })
    .first()
    .click();
  const composer = agent.getByRole("textbox", { name: "Message" });
  await expect(composer).toBeVisible();
  await composer.fill("A draft that must survive");
  // A day later on the agent's clock (a controllable clock, not a 24-hour wait).
  await agent.clock.fastForward("24:00:30");
  await expect(agent.getByRole("region", { name: "Send a template" })).toBeVisible({ timeout: 2_000 });
  await expect(composer).toHaveCount(0);
});

test("an agent types a number the business never talked to, and its conversation opens on the template picker", async ({
  agent,
}) => {
  const waId = `1555${String(Date.now()).slice(-7)}`;
  await agent.getByRole("button", { name: "New conversation" }).click();
  const dialog = agent.getByRole("dialog", { name: "Start a conversation" });
  await dialog.getByLabel("Contact name or number").fill(`+1 (${waId.slice(1, 4)}) ${waId.slice(4, 7)}-${waId.slice(7)}`);
  await expect(dialog.getByRole("list", { name: "Contacts" })).toContainText("No contact matches.");
  await dialog.getByLabel("Name (optional)").fill("Rosa Jiménez");
  await screenshot(agent, "new-conversation-number");
  await dialog.getByLabel("Name (optional)").press("Enter");

  await expect(agent.getByRole("heading", { level: 2, name: "Rosa Jiménez" })).toBeVisible();
  const picker = agent.getByRole("region", { name: "Send a template" });
  await expect(picker).toBeVisible();
  // The template greets her by the name just given; what only the agent knows stays to fill.
  await picker.getByRole("button", { name: /appointment_reminder/ }).click();
  await expect(picker.getByLabel("{{first_name}}")).toHaveValue("Rosa");
  await expect(picker.getByLabel("{{date}}")).toHaveValue("");
  await expect(picker.getByRole("figure", { name: "Preview" })).toContainText("Hello Rosa, this is a reminder");
  await screenshot(agent, "template-name-filled");
  await expect(agent.getByRole("textbox", { name: "Message" })).toHaveCount(0);

  // Typed again, the number is a contact now: it is offered as one, not made twice.
  await agent.getByRole("button", { name: "New conversation" }).click();
  await dialog.getByLabel("Contact name or number").fill(waId);
  await expect(dialog.getByRole("list", { name: "Contacts" }).getByRole("button")).toHaveCount(1);
  await expect(dialog.getByRole("list", { name: "Contacts" })).toContainText("Rosa Jiménez");
  await expect(dialog.getByRole("button", { name: /^Write to/ })).toHaveCount(0);
});
