import type { Locator, Route } from "@playwright/test";
import { createDb } from "@/db/client";
import { demoNumber } from "@/lib/demo";
import { seedInbox } from "../scripts/seed/seed-inbox";
import { e2e, expect, launcherDatabaseUrl, screenshot, test } from "./fixtures";

const MESSAGES = 1000;
// A windowed log holds the bubbles of a few screens, whatever the length of the thread.
const MAX_BUBBLES_IN_DOM = 80;

/** The topmost bubble on screen and its distance from the log's top edge. */
const topBubble = (log: Locator) =>
  log.evaluate((el) => {
    const top = el.getBoundingClientRect().top;
    const bubble = [...el.querySelectorAll<HTMLElement>("[data-message-id]")].find((b) => b.getBoundingClientRect().bottom > top);
    return bubble ? { id: bubble.dataset.messageId!, y: bubble.getBoundingClientRect().top - top } : null;
  });

/** One conversation of MESSAGES messages, the last three unread from the customer, none deleted. */
async function seedLongThread() {
  const { sql } = createDb(launcherDatabaseUrl(), { max: 1 });
  try {
    const [number] = await sql<{ id: string }[]>`select id from numbers where phone_number_id = ${demoNumber.phoneNumberId}`;
    const { longThreadId: id } = await seedInbox(sql, { numberId: number!.id, conversations: 1, messages: MESSAGES });
    await sql`update messages set deleted_at = null where conversation_id = ${id}`;
    const newest = await sql<{ id: string }[]>`
      select id from messages where conversation_id = ${id} order by sent_at desc limit 3`;
    await sql`update messages set direction = 'inbound', origin = 'customer', status = 'received'
      where id in ${sql(newest.map((m) => m.id))}`;
    await sql`update conversations set unread_count = 3 where id = ${id}`;
    const [first] = await sql<{ id: string }[]>`
      select id from messages where conversation_id = ${id} order by sent_at asc limit 1`;
    const [contact] = await sql<{ waId: string }[]>`
      select c.wa_id as "waId" from contacts c join conversations v on v.contact_id = c.id where v.id = ${id}`;
    return { id, firstMessageId: first!.id, waId: contact!.waId };
  } finally {
    await sql.end();
  }
}

const frames = (log: Locator) =>
  log.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

test("a 1,000-message thread opens at the first unread, reads back to its first message with the reading position held, and keeps few bubbles in the page", async ({
  agent,
  request,
}) => {
  test.setTimeout(240_000);
  const thread = await seedLongThread();
  // Older pages are held until the test has read the screen, then let through.
  const held: Route[] = [];
  await agent.route(/\/messages\?.*before=/, (route) => {
    held.push(route);
  });
  // The thread's messages may answer before the conversation that says how many are unread: make
  // them, and the log still opens at the first unread message.
  const messagesAnswered = agent.waitForResponse((r) => r.url().endsWith(`/api/conversations/${thread.id}/messages?limit=50`));
  await agent.route(new RegExp(`/api/conversations/${thread.id}$`), async (route) => {
    await messagesAnswered;
    await route.continue();
  });
  await agent.goto(`/inbox?c=${thread.id}`);
  const log = agent.getByRole("log", { name: "Messages" });
  const bubbles = log.locator("[data-message-id]");
  const start = log.getByText("Start of the conversation");
  await expect(log.getByText("3 unread messages")).toBeInViewport({ timeout: 30_000 });

  for (let pages = 0; !(await start.isVisible()); pages++) {
    expect(pages, "older pages loaded").toBeLessThan(MESSAGES / 50 + 2);
    // Scrolled to the top (again, as a reader would if the log had not yet settled from the last page).
    const askAtTheTop = async () => {
      await log.evaluate((el) => {
        el.scrollTop = 0;
      });
      return held.length;
    };
    await expect.poll(askAtTheTop, { message: "an older page is asked for at the top" }).toBe(1);
    await frames(log);
    const reading = (await topBubble(log))!;
    const height = await log.evaluate((el) => el.scrollHeight);
    await held.shift()!.continue();
    // Opening the thread marks it read, and the refetch that follows cancels an older page in
    // flight and asks for it again: let that ask through too.
    const grown = async () => {
      for (let route = held.shift(); route; route = held.shift()) await route.continue();
      return log.evaluate((el) => el.scrollHeight);
    };
    await expect.poll(grown).toBeGreaterThan(height);
    // The older page went in above: the bubble the agent was reading has not moved (but for the
    // rounding of scroll offsets to whole pixels as the new rows take their real size).
    const moved = async () => {
      const after = await log.locator(`[data-message-id="${reading.id}"]`).boundingBox();
      return after ? Math.abs(after.y - (await log.boundingBox())!.y - reading.y) : Number.POSITIVE_INFINITY;
    };
    await expect.poll(moved, { message: `after older page ${pages + 1}` }).toBeLessThan(8);
    expect(await bubbles.count()).toBeLessThanOrEqual(MAX_BUBBLES_IN_DOM);
  }

  // The first message of the conversation is reached and on screen.
  await log.evaluate((el) => {
    el.scrollTop = 0;
  });
  await expect(log.locator(`[data-message-id="${thread.firstMessageId}"]`)).toBeInViewport();
  expect(await bubbles.count()).toBeLessThanOrEqual(MAX_BUBBLES_IN_DOM);

  // Partway down, the band above the log names the day, and covers no bubble.
  await log.evaluate((el) => {
    el.scrollTop = el.scrollHeight / 2;
  });
  const band = agent.locator("[data-top-day]");
  await expect(band).toHaveText(/\w/);
  const bandBox = (await band.boundingBox())!;
  expect(bandBox.y + bandBox.height).toBeLessThanOrEqual((await log.boundingBox())!.y);
  await screenshot(agent, "long-thread");

  // Back at the bottom, a new customer message is followed into view.
  await expect
    .poll(async () => {
      await log.evaluate((el) => {
        el.scrollTop = el.scrollHeight;
      });
      return log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    })
    .toBeLessThan(2);
  const text = `Still there? ${Date.now().toString(36)}`;
  const response = await request.post(`${e2e.sandboxURL}/phone/api/messages`, {
    data: { waId: thread.waId, name: "Long Thread", text },
  });
  expect(response.ok()).toBe(true);
  await expect(log.getByText(text)).toBeInViewport();
  expect(await bubbles.count()).toBeLessThanOrEqual(MAX_BUBBLES_IN_DOM);

  // A reply brings the thread up to date by its newest page: none of the twenty pages read back is
  // asked for again (they would be held, and the composer would wait for them).
  const reply = `On its way ${Date.now().toString(36)}`;
  const box = agent.getByRole("textbox", { name: "Message" });
  await box.fill(reply);
  await box.press("Enter");
  await expect(log.getByText(reply)).toBeInViewport();
  await expect(box).toHaveValue("");
  expect(held, "older pages asked for again after the reply").toHaveLength(0);

  // A reaction redraws its bubble alone: the thread is not asked for again, newest page or older.
  const newestAsked: string[] = [];
  agent.on("request", (r) => {
    if (r.url().includes(`/api/conversations/${thread.id}/messages`)) newestAsked.push(r.url());
  });
  const bubble = log.locator("[data-message-id]", { hasText: text });
  await bubble.hover();
  await bubble.getByRole("button", { name: "React to this message" }).click();
  const reacted = agent.waitForResponse((r) => r.url().endsWith("/reaction") && r.request().method() === "POST");
  await bubble.getByRole("menuitem", { name: "React 👍" }).click();
  expect((await reacted).ok()).toBe(true);
  await expect(bubble.getByRole("img", { name: "Reactions: 👍 from the business" })).toBeVisible();
  // A refetch would start right after the answer; give it time to show before saying it did not.
  await agent.waitForTimeout(1_000);
  expect(newestAsked, "thread pages asked for after the reaction").toEqual([]);
  expect(held, "older pages asked for after the reaction").toHaveLength(0);
});

test("a search hit older than the loaded pages is sought and shown; a thread that fits on screen has no empty day band", async ({
  agent,
  request,
}) => {
  test.setTimeout(120_000);
  const thread = await seedLongThread();
  const { sql } = createDb(launcherDatabaseUrl(), { max: 1 });
  // A message far older than the newest page of 50: the thread opens at it, as from a search result.
  const [old] = await sql<{ id: string; body: string }[]>`
    select id, body from messages where conversation_id = ${thread.id} and type = 'text' and body <> ''
    order by sent_at desc offset 400 limit 1`;
  await sql.end();
  await agent.goto(`/inbox?c=${thread.id}&m=${old!.id}`);
  const log = agent.getByRole("log", { name: "Messages" });
  const hit = log.locator(`[data-message-id="${old!.id}"]`);
  await expect(hit).toBeInViewport({ timeout: 60_000 });
  await expect(hit).toBeFocused();
  await expect(agent.getByRole("status").filter({ hasText: "Loading older messages" })).toHaveCount(0);

  // A conversation of two messages fits on screen: its day is named once, above its first message.
  const waId = `1555777${String(Date.now() % 10_000).padStart(4, "0")}`;
  const text = `Short and sweet ${Date.now().toString(36)}`;
  const sent = await request.post(`${e2e.sandboxURL}/phone/api/messages`, { data: { waId, name: "Short Thread", text } });
  expect(sent.ok()).toBe(true);
  await agent.goto(`/inbox?q=${waId}`);
  await agent
    .getByRole("link", { name: /Short Thread/ })
    .first()
    .click();
  await expect(log.getByText(text)).toBeVisible();
  await expect(log.getByText("Start of the conversation")).toBeVisible();
  await expect(agent.locator("[data-day-band]")).toHaveCount(0);
  await screenshot(agent, "short-thread");
});

test("a reply sent while scrolled up is followed into view, even when its bubble arrives live before the send answers", async ({
  agent,
  request,
}) => {
  test.setTimeout(120_000);
  const thread = await seedLongThread();
  const opened = `Anyone? ${Date.now().toString(36)}`;
  const sent = await request.post(`${e2e.sandboxURL}/phone/api/messages`, {
    data: { waId: thread.waId, name: "Long Thread", text: opened },
  });
  expect(sent.ok()).toBe(true);
  await agent.goto(`/inbox?c=${thread.id}`);
  const log = agent.getByRole("log", { name: "Messages" });
  await expect(log.getByText(opened)).toBeVisible({ timeout: 30_000 });

  // Scrolled up to read, far from the newest message.
  await log.evaluate((el) => {
    el.scrollTop = 0;
  });
  await frames(log);
  expect(await log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeGreaterThan(1_000);

  // The send is answered late (a slow network or server): the bubble comes live first.
  await agent.route(`**/api/conversations/${thread.id}/messages`, async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    const response = await route.fetch();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.fulfill({ response });
  });
  const reply = `Here now ${Date.now().toString(36)}`;
  const box = agent.getByRole("textbox", { name: "Message" });
  await box.fill(reply);
  await box.press("Enter");
  await expect(log.getByText(reply)).toBeInViewport();
  await expect(box).toHaveValue("");
  await expect(agent.getByRole("button", { name: "New messages" })).toHaveCount(0);
});
