import type { APIRequestContext } from "@playwright/test";
import { e2e, expect, expectAccessible, test, unique } from "./fixtures";

test.describe.configure({ mode: "serial" });

const OLIVER = "447700900123";
const ANA = "5511987654321";

async function sandbox<T>(request: APIRequestContext, path: string, data?: unknown): Promise<T> {
  const response =
    data === undefined ? await request.get(`${e2e.sandboxURL}${path}`) : await request.post(`${e2e.sandboxURL}${path}`, { data });
  expect(response.ok(), `${path} answered ${response.status()}`).toBe(true);
  return (await response.json()) as T;
}

test("a phone echo appears live as the WhatsApp Business app; a customer edit and a phone deletion update the bubbles", async ({
  agent,
  context,
  request,
}) => {
  const question = unique("Can I change my delivery address?");
  const asked = await sandbox<{ wamid: string }>(request, "/phone/api/messages", { waId: OLIVER, text: question });
  await agent
    .getByRole("link", { name: /Oliver Brown/ })
    .first()
    .click();
  const thread = agent.getByRole("log", { name: "Messages" });
  await expect(thread.getByText(question)).toBeVisible();

  // The owner answers from the WhatsApp Business app on the phone.
  const phone = await context.newPage();
  await phone.goto(`${e2e.sandboxURL}/phone?waId=${OLIVER}&view=business`);
  const answer = unique("Sure, send me the new address");
  await phone.getByLabel("Business message").fill(answer);
  await phone.getByRole("button", { name: "Send as business" }).click();
  const echo = thread.locator("[data-message-id]", { hasText: answer });
  await expect(echo).toContainText("WhatsApp Business app");
  await expect(echo).not.toContainText(/bot|automat/i);
  await expect(agent.getByRole("textbox", { name: "Message" })).toBeVisible();

  // The customer corrects their message; the original bubble changes, no new one appears.
  const corrected = unique("Can I change my billing address?");
  await sandbox(request, "/phone/api/messages/edit", { waId: OLIVER, wamid: asked.wamid, text: corrected, side: "customer" });
  const edited = thread.locator("[data-message-id]", { hasText: corrected });
  await expect(edited).toContainText("edited");
  await expect(thread.getByText(question)).toBeHidden();

  // The owner deletes the answer on the phone.
  const { messages } = await sandbox<{ messages: { wamid: string; text: string; from: string }[] }>(
    request,
    `/phone/api/thread?waId=${OLIVER}`,
  );
  const sent = messages.find((m) => m.text === answer);
  expect(sent).toBeDefined();
  await sandbox(request, "/phone/api/messages/delete", { waId: OLIVER, wamid: sent!.wamid, side: "business" });
  await expect(thread.getByText("This message was deleted")).toBeVisible();
});

test("after a history sync the imported conversations wait in Resolved, not unread, and below live ones", async ({
  agent,
  request,
}) => {
  const anaAsked = unique("Olá! Is the café order ready?");
  await sandbox(request, "/phone/api/messages", { waId: ANA, text: anaAsked });
  await sandbox(request, "/sandbox/api/sync", { kind: "contacts" });
  await sandbox(request, "/sandbox/api/sync", { kind: "history", choice: "share" });
  await expect
    .poll(
      async () =>
        (await sandbox<{ syncs: { history: { finishedAt: string | null } | null } }>(request, "/sandbox/api/state")).syncs.history
          ?.finishedAt ?? null,
      {
        timeout: 30_000,
      },
    )
    .not.toBeNull();

  const list = agent.getByRole("list", { name: "Conversation list" });
  // Marcus only exists in the imported history, named from the phone's address book: an archive,
  // so not in Open (the default view) but in Resolved.
  const marcus = list.getByRole("link", { name: /Marcus Lee/ });
  await agent.getByRole("navigation", { name: "Inbox" }).getByRole("link", { name: "Resolved", exact: true }).click();
  await expect(marcus).toBeVisible({ timeout: 15_000 });
  await expect(marcus).not.toContainText("unread");
  await agent.getByRole("navigation", { name: "Inbox" }).getByRole("link", { name: "Open", exact: true }).click();
  await expect(list.getByRole("link", { name: /Oliver/ }).first()).toBeVisible();
  await expect(marcus).toBeHidden();
  await agent.getByRole("navigation", { name: "Inbox" }).getByRole("link", { name: "All statuses", exact: true }).click();
  await expect(marcus).toBeVisible();

  const names = await list.getByRole("link").allInnerTexts();
  const firstImportedOnly = names.findIndex((n) => /Marcus Lee|Chloé Martin|Kenji Tanaka|Priya Sharma/.test(n));
  // Oliver and Ana wrote live in this file; both must be above every imported-only conversation.
  const lastLive = Math.max(...[/Oliver/, /Ana Souza/].map((re) => names.findIndex((n) => re.test(n))));
  expect(lastLive).toBeGreaterThanOrEqual(0);
  expect(firstImportedOnly).toBeGreaterThan(lastLive);
  for (const name of names.slice(firstImportedOnly)) expect(name).not.toMatch(/unread/);

  // Search finds message text and marks the matching words; imported names are found too.
  const search = agent.getByRole("searchbox", { name: "Search conversations" });
  await search.fill(`"café order" ${anaAsked.split(" ").at(-1)}`);
  const hit = list.getByRole("link", { name: /Ana Souza/ });
  await expect(hit.locator("mark")).toHaveText(["café", "order", anaAsked.split(" ").at(-1)!]);
  await expect(list.getByRole("link")).toHaveCount(1);
  await expectAccessible(agent);
  // The hit opens the thread at the matching message.
  await hit.click();
  await expect(agent.getByRole("log", { name: "Messages" }).locator("[data-message-id]:focus")).toContainText(anaAsked);
  await search.fill("Marcus");
  await expect(list.getByRole("link")).toHaveText([/Marcus Lee/]);
  await search.fill("");

  // The admin's webhook events page, then the phone layout of the list and a thread.
  await agent.goto("/admin/webhooks");
  await expect(agent.getByRole("heading", { level: 1 })).toBeVisible();
  await expectAccessible(agent);
  await agent.setViewportSize({ width: 390, height: 844 });
  await agent.goto("/inbox?status=all");
  await list.getByRole("link", { name: /Marcus Lee/ }).click();
  await expect(agent.getByRole("log", { name: "Messages" })).toBeVisible();
  await expectAccessible(agent);
});
