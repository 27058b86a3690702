import type { Locator } from "@playwright/test";
import { conversationList, expect, newCustomer, say, screenshot, test, unique } from "./fixtures";

// A shared machine under load can take a while to start each page.
test.describe.configure({ timeout: 120_000 });

// Live assertions get less than the 15-second polling fallback, so only the socket can pass them.
const LIVE = { timeout: 5_000 };

test("a search result quotes its message: a short one whole, a long one around its match with its cuts shown; its arrow follows that message", async ({
  agent,
  request,
}) => {
  const customer = unique("Eva Search");
  const waId = await newCustomer(request, customer, "Is the shop open on Sunday?");
  await conversationList(agent)
    .getByRole("link", { name: new RegExp(customer) })
    .click();
  const log = agent.getByRole("log", { name: "Messages" });
  const composer = agent.getByRole("textbox", { name: "Message" });
  await composer.fill("And on holidays we open at noon");
  await composer.press("Enter");
  await expect(log).toContainText("we open at noon");

  await agent.getByRole("searchbox", { name: "Search conversations" }).fill("holidays");
  const row = conversationList(agent).getByRole("listitem").filter({ hasText: customer });
  await expect(row).toBeVisible();
  await expect(row.locator("mark")).toHaveText("holidays");
  // A short message is quoted whole.
  await expect(row).toContainText("Sent:Matching message: And on holidays we open at noon");
  await screenshot(agent, "search-results");

  // A long one around its match, saying where it was cut.
  const figurine = unique("albatross").replace(/\W/g, "");
  await say(
    request,
    waId,
    `Hello again, I wrote to you last week about my order and the ${figurine} figurine that arrived with a broken wing; could you send a new one before the weekend?`,
  );
  // Answered since: the row's newest message went out, but the quoted one came in.
  await expect(log).toContainText(`the ${figurine} figurine`);
  await composer.fill("Sorry to hear that, a new one is on its way");
  await composer.press("Enter");
  await expect(log).toContainText("a new one is on its way");
  await agent.getByRole("searchbox", { name: "Search conversations" }).fill(figurine);
  await expect(row.locator("mark")).toHaveText(figurine);
  await expect(row).toContainText(new RegExp(`Matching message: … [^…]+ ${figurine} [^…]+ …`));
  await expect(row).not.toContainText("Sent:");
  // The words before the match give way, so the match is in view.
  const [mark, rowBox] = [await row.locator("mark").boundingBox(), await row.boundingBox()];
  expect(mark!.x + mark!.width, "the match's right edge").toBeLessThanOrEqual(rowBox!.x + rowBox!.width);
  await screenshot(agent, "search-result-long-message");
});

/** Where the first character of `text` is drawn inside `within`: its left edge and width, in px. */
const drawnAt = (within: Locator, text: string) =>
  within.evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(wanted) ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + 1);
      const box = range.getBoundingClientRect();
      return { x: box.x, right: box.right };
    }
    return null;
  }, text);

test("a customer writing Arabic: the list shows the message's first words, and a search result reads in its order", async ({
  agent,
  request,
}) => {
  // Arabic letters for the digits of now: a word no other test writes.
  const word = `خزفي${[...Date.now().toString(36)].map((c) => "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"[parseInt(c, 36) % 28]).join("")}`;
  const writer = unique("Omar Haddad");
  await newCustomer(
    request,
    writer,
    "مرحبا، كتبت لكم الأسبوع الماضي عن طلبي والتمثال الذي وصل بجناح مكسور، هل يمكنكم إرسال واحد جديد قبل نهاية الأسبوع",
  );
  const asker = unique("Omar Short");
  await newCustomer(request, asker, `أين طلبي ${word}؟`);

  // The preview of a message longer than the row shows its start: its first letter is in the row.
  const row = conversationList(agent).getByRole("listitem").filter({ hasText: writer });
  await expect(row).toBeVisible(LIVE);
  const first = await drawnAt(row, "مرحبا");
  const rowBox = (await row.boundingBox())!;
  expect(first, "the preview's first letter").not.toBeNull();
  expect(first!.right).toBeLessThanOrEqual(rowBox.x + rowBox.width);
  expect(first!.x).toBeGreaterThanOrEqual(rowBox.x);

  // A search result keeps the message's order: the words before the match are to its right.
  await agent.getByRole("searchbox", { name: "Search conversations" }).fill(word);
  const hit = conversationList(agent).getByRole("listitem").filter({ hasText: asker });
  await expect(hit.locator("mark")).toHaveText(word);
  const mark = (await hit.locator("mark").boundingBox())!;
  const before = await drawnAt(hit, "أين");
  expect(before!.x, "the first word, right of the match").toBeGreaterThanOrEqual(mark.x + mark.width - 1);
  await screenshot(agent, "search-result-arabic");
});
