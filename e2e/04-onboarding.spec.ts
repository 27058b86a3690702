import type { APIRequestContext, BrowserContext, Page } from "@playwright/test";
import { e2e, expect, test } from "./fixtures";

test.describe.configure({ mode: "serial" });

type ExtraNumber = {
  phoneNumberId: string;
  displayPhoneNumber: string;
  syncs: { history: { messagesTotal: number | null; threadsTotal: number | null; finishedAt: string | null } | null };
};

async function sandboxNumber(request: APIRequestContext, displayPhoneNumber: string) {
  const response = await request.get(`${e2e.sandboxURL}/sandbox/api/state`);
  const state = (await response.json()) as { extraNumbers: ExtraNumber[] };
  return state.extraNumbers.find((n) => n.displayPhoneNumber === displayPhoneNumber) ?? null;
}

const newPhone = () => `1555${String(Date.now()).slice(-7)}`;

/** Ticks the eligibility checklist and opens the sandbox's signup popup. */
async function openSignup(page: Page, context: BrowserContext) {
  for (const box of await page.getByRole("group", { name: "Before you start, confirm each point" }).getByRole("checkbox").all()) {
    await box.check();
  }
  const [popup] = await Promise.all([
    context.waitForEvent("page"),
    page.getByRole("button", { name: "Continue with Facebook" }).click(),
  ]);
  await popup.waitForLoadState();
  return popup;
}

test("an admin connects a second number, watches its history arrive live, finds it in Resolved, and a disconnect shows its reason and refuses sends", async ({
  agent,
  context,
  request,
}) => {
  await agent.goto("/settings/numbers");
  await expect(agent.getByText("Live", { exact: true })).toBeVisible();
  await agent.getByRole("button", { name: "Connect a WhatsApp Business app number" }).click();
  const continueButton = agent.getByRole("button", { name: "Continue with Facebook" });
  await expect(continueButton).toBeDisabled();

  const popup = await openSignup(agent, context);
  const phone = newPhone();
  await popup.getByLabel(/Phone number/).fill(phone);
  await popup.getByLabel("Business name").fill("Bloom & Co Flowers");
  await popup.getByRole("button", { name: "Connect", exact: true }).click();

  await expect(agent.getByText(`+${phone} is connected`)).toBeVisible();
  const card = agent.getByRole("article", { name: `Number +${phone}` });
  const history = card.getByRole("region", { name: "History sync" });
  await expect(history.getByText(/^(Requested|Receiving)$/)).toBeVisible();
  // Progress only reaches this page through the socket: the page does not poll while live.
  await expect(history.getByText("Complete", { exact: true })).toBeVisible({ timeout: 12_000 });

  const sent = await sandboxNumber(request, phone);
  const totals = sent?.syncs.history;
  expect(totals?.messagesTotal).toBeGreaterThan(0);
  await expect(history).toContainText(`${totals?.messagesTotal} messages`);
  await expect(history).toContainText(`${totals?.threadsTotal} conversations`);
  await expect(card.getByRole("region", { name: "Contacts sync" })).toContainText(/\d+ contacts? received/);
  await expect(card.getByText("Connected through Embedded Signup")).toBeVisible();

  // The archive: nothing of this number in Open, its imported chats in Resolved.
  await history.getByRole("link", { name: "Resolved" }).click();
  const list = agent.getByRole("list", { name: "Conversation list" });
  await expect(list.getByRole("link", { name: /Marcus Lee/ })).toBeVisible();
  const numberId = new URL(agent.url()).searchParams.get("number");
  await agent.getByRole("navigation", { name: "Inbox" }).getByRole("link", { name: "Open", exact: true }).click();
  await expect(agent.getByText("No open conversations in this view.")).toBeVisible();

  // The business disconnects the number from the phone.
  const disconnect = await request.post(`${e2e.sandboxURL}/sandbox/api/lifecycle`, {
    data: { event: "PARTNER_REMOVED", reason: "PRIMARY_INACTIVITY", initiatedBy: "SYSTEM", phoneNumberId: sent?.phoneNumberId },
  });
  expect(disconnect.ok()).toBe(true);
  await agent.goto("/settings/numbers");
  await expect(card.getByText("Disconnected", { exact: true })).toBeVisible();
  await expect(card).toContainText("the phone was inactive for about 14 days, by WhatsApp");
  await expect(card).toContainText("connect it again with the button above");

  const conversations = await agent.request.get(`/api/conversations?numberId=${numberId}&status=resolved`);
  const [first] = ((await conversations.json()) as { conversations: { id: string }[] }).conversations;
  const send = await agent.request.post(`/api/conversations/${first?.id}/messages`, {
    data: { clientKey: `e2e-${Date.now()}`, text: "Hello again" },
    headers: { origin: e2e.baseURL },
  });
  expect(send.status()).toBe(422);
  expect(((await send.json()) as { error: { code: string } }).error.code).toBe("NUMBER_UNAVAILABLE");
});

test("a popup cancelled with an error shows Meta's code and message; a run that declines history says so", async ({
  agent,
  context,
}) => {
  await agent.goto("/settings/numbers");
  await agent.getByRole("button", { name: "Connect a WhatsApp Business app number" }).click();
  const popup = await openSignup(agent, context);
  await popup.getByText("Cancel with an error", { exact: true }).click();
  await popup.getByRole("button", { name: "Report the error and close" }).click();
  const alert = agent.getByRole("region", { name: "Connect a WhatsApp Business app number" }).getByRole("alert");
  await expect(alert).toContainText("Meta stopped the signup with an error (code 524126)");
  await expect(alert).toContainText("Phone number is not eligible");

  await alert.getByRole("button", { name: "Try again" }).click();
  const again = await openSignup(agent, context);
  const phone = newPhone();
  await again.getByLabel(/Phone number/).fill(phone);
  await again.getByLabel("Business name").fill("Quiet Books");
  await again.getByLabel("Don't share chats").check();
  await again.getByRole("button", { name: "Connect", exact: true }).click();
  const card = agent.getByRole("article", { name: `Number +${phone}` });
  await expect(card.getByText("Declined by the business")).toBeVisible({ timeout: 12_000 });
  await expect(card).toContainText("chose not to share its chat history");
});
