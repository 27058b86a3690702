import { readFileSync } from "node:fs";
import path from "node:path";
import { demoNumber } from "@/lib/demo";
import { envelope, metadataOf, textMessage } from "@/lib/whatsapp/fixtures/build";
import { signPayload, toMetaJson } from "@/lib/whatsapp/signature";
import { e2e, expect, screenshot, test, unique } from "./fixtures";

/** The app secret the launcher generated for this system: the test plays Meta and signs bodies. */
const appSecret = () =>
  (JSON.parse(readFileSync(path.join(".data/e2e/secrets.json"), "utf8")) as { META_APP_SECRET: string }).META_APP_SECRET;

test("a body with a malformed message applies its good sibling; the admin sees the failed part, its payload, dismisses and replays", async ({
  agent,
  request,
}) => {
  const good = unique("Good sibling");
  const now = String(Math.floor(Date.now() / 1000));
  const body = envelope(demoNumber.wabaId, [
    {
      field: "messages",
      value: {
        messaging_product: "whatsapp",
        metadata: metadataOf(demoNumber),
        contacts: [{ profile: { name: "Sheena Nelson" }, wa_id: "16505551234" }],
        messages: [
          { from: "16505551234", id: `wamid.e2e-good-${Date.now()}`, timestamp: now, type: "text", text: { body: good } },
          { from: "16505551234", id: `wamid.e2e-bad-${Date.now()}`, timestamp: "yesterday", type: "text", text: { body: "x" } },
        ],
      },
    },
  ]);
  const raw = toMetaJson(body);
  const post = (data: string) =>
    request.post(`${e2e.baseURL}/api/webhooks/whatsapp`, {
      data,
      headers: { "content-type": "application/json", "x-hub-signature-256": signPayload(data, appSecret()) },
    });
  expect((await post(raw)).status()).toBe(200);

  // The good message reached the inbox although its sibling was malformed.
  await agent
    .getByRole("link", { name: /Sheena Nelson/ })
    .first()
    .click();
  await expect(agent.getByRole("log", { name: "Messages" }).getByText(good)).toBeVisible();

  await agent.goto("/admin/webhooks");
  const row = agent.locator("tr[data-event-id]", { hasText: "entry[0].changes[0].value.messages[1]" }).first();
  await expect(row).toContainText("Malformed");
  const eventId = await row.getAttribute("data-event-id");

  await row.getByRole("button", { name: `Payload of event ${eventId}` }).click();
  const dialog = agent.getByRole("dialog", { name: `Payload of event #${eventId}` });
  await expect(dialog).toContainText(good);
  await expect(dialog).toContainText('"timestamp": "yesterday"');
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();

  await row.getByRole("button", { name: `Dismiss event ${eventId}` }).click();
  await expect(agent.locator(`tr[data-event-id="${eventId}"]`)).toBeHidden();
  await agent.getByText("Dismissed", { exact: true }).click();
  await expect(agent.locator(`tr[data-event-id="${eventId}"]`)).toContainText("Dismissed");

  // Another failed body; "Replay all failed" queues what is failed and not dismissed.
  const other = raw.replace(good, unique("Second good sibling")).replaceAll("wamid.e2e-", "wamid.e2e2-");
  expect((await post(other)).status()).toBe(200);
  await agent.getByText("Failed", { exact: true }).click();
  const replayAll = agent.getByRole("button", { name: "Replay all failed" });
  await expect(async () => {
    await agent.getByRole("button", { name: "Refresh" }).click();
    await expect(replayAll).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await replayAll.click();
  await expect(
    agent
      .getByRole("status")
      .filter({ hasText: /queued for replay/ })
      .first(),
  ).toBeVisible();
  await agent.getByText("Dismissed", { exact: true }).click();
  await expect(agent.locator(`tr[data-event-id="${eventId}"]`)).toBeVisible();

  // On the narrowest phone the page keeps to its width: the filters wrap, the table scrolls in its own box.
  await agent.setViewportSize({ width: 320, height: 640 });
  await agent.getByText("Failed", { exact: true }).click();
  const overflow = () => agent.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await expect.poll(overflow, { message: "the page is wider than a 320 px phone" }).toBe(0);
  const filters = await agent.getByRole("group", { name: "Show events" }).boundingBox();
  const heading = await agent.getByRole("heading", { name: "Webhook events" }).boundingBox();
  expect(filters!.x + filters!.width, "the filters reach past the page's margin").toBeLessThanOrEqual(320 - heading!.x);
  await screenshot(agent, "webhook-events-320");
});

test("a signed webhook posted to the production server is stored, applied and counted in /api/metrics", async ({
  agent,
  request,
}) => {
  const storedCount = async () => {
    const response = await request.get(`${e2e.baseURL}/api/metrics`, {
      headers: { authorization: `Bearer ${e2e.metricsToken}` },
    });
    expect(response.status()).toBe(200);
    const lines = (await response.text()).matchAll(/^tandem_webhook_intake_total\{[^}]*outcome="stored"[^}]*\} (\d+)$/gm);
    return [...lines].reduce((sum, [, count]) => sum + Number(count), 0);
  };
  const before = await storedCount();
  const name = unique("Intake Customer");
  const text = unique("Through the production intake");
  const raw = toMetaJson(
    textMessage(demoNumber, { from: `1650${String(Date.now()).slice(-7)}`, name, wamid: `wamid.e2e-intake-${Date.now()}`, text }),
  );
  const response = await request.post(`${e2e.baseURL}/api/webhooks/whatsapp?delivery=1`, {
    data: raw,
    headers: { "content-type": "application/json", "x-hub-signature-256": signPayload(raw, appSecret()) },
  });
  expect(response.status()).toBe(200);
  expect(response.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'; sandbox");
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");

  await agent
    .getByRole("link", { name: new RegExp(name) })
    .first()
    .click();
  await expect(agent.getByRole("log", { name: "Messages" }).getByText(text)).toBeVisible();
  // Each web process reports its counts to PostgreSQL every 5 s.
  await expect.poll(storedCount, { timeout: 20_000 }).toBeGreaterThan(before);
});
