import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { and, eq, sql as raw } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  contacts,
  conversations,
  historyChunks,
  historySyncs,
  mediaAssets,
  messageReactions,
  messages,
  numberEvents,
  numbers,
  templates,
  webhookEvents,
} from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createConversation, createNumber, newWaId } from "@/db/testing/factories";
import { processWebhookEvents } from "@/lib/services/webhooks/process-webhook-events";
import { signPayload } from "@/lib/whatsapp/signature";

/**
 * One case per payload kind, each built from Meta's documented JSON in lib/whatsapp/fixtures (not
 * from the builder the sandbox shares with other tests), posted signed through the real route and
 * applied by the processor; the assertions read what was stored. Only the ids are moved to a fresh
 * number, customer and message ids, so each case stands alone.
 */
const APP_SECRET = "fixtures-test-app-secret";
const { db, sql } = connectTestDatabase();
const ctx = { db, sql, actor: { kind: "webhook" } } as const;
let route: typeof import("./route");

beforeAll(async () => {
  Object.assign(process.env, {
    AUTH_SECRET: "fixtures-test-auth-secret-0123456789",
    META_APP_SECRET: APP_SECRET,
    META_VERIFY_TOKEN: "fixtures",
  });
  route = await import("./route");
});

type Num = Awaited<ReturnType<typeof createNumber>>;
let serial = 0;

/** A fresh number and customer; `deliver(name)` posts that fixture with Meta's example ids moved to them. */
async function setup() {
  const number = await createNumber(db);
  const customer = newWaId();
  const tag = `${Date.now().toString(36)}-${++serial}`;
  const wamid = (id: string) => `${id}-${tag}`;
  const deliver = async (name: string, expectedStatus = 200) => {
    const raw = readFileSync(path.join(import.meta.dirname, "../../../../lib/whatsapp/fixtures", `${name}.json`), "utf8")
      .replaceAll("106540352242922", number.phoneNumberId)
      .replaceAll("102290129340398", number.wabaId)
      .replaceAll("15550783881", number.displayPhoneNumber)
      .replaceAll("16505551234", customer)
      .replace(/"(wamid\.[^"]+)"/g, (_, id: string) => `"${wamid(id)}"`);
    const response = await route.POST(
      new Request("http://127.0.0.1/api/webhooks/whatsapp", {
        method: "POST",
        body: raw,
        headers: { "content-type": "application/json", "x-hub-signature-256": signPayload(raw, APP_SECRET) },
      }),
    );
    expect(response.status, name).toBe(expectedStatus);
    const sha = createHash("sha256").update(raw).digest("hex");
    const [event] = await db.select().from(webhookEvents).where(eq(webhookEvents.bodySha256, sha));
    await processWebhookEvents({ ctx, input: { eventIds: [event!.id] } });
    return (await db.select().from(webhookEvents).where(eq(webhookEvents.id, event!.id)))[0]!;
  };
  const message = async (id: string) =>
    (
      await db
        .select()
        .from(messages)
        .where(and(eq(messages.numberId, number.id), eq(messages.wamid, wamid(id))))
    )[0];
  const conversationOf = async (conversationId: string) =>
    (await db.select().from(conversations).where(eq(conversations.id, conversationId)))[0]!;
  const contactOf = async (contactId: string) => (await db.select().from(contacts).where(eq(contacts.id, contactId)))[0]!;
  const assetOf = async (messageId: string) =>
    (await db.select().from(mediaAssets).where(eq(mediaAssets.messageId, messageId)))[0];
  return { number, customer, wamid, deliver, message, conversationOf, contactOf, assetOf };
}

/** An agent's reply already sent from Tandem, so statuses have their message. */
async function sentReply(number: Num, customer: string, wamid: string) {
  const conversation = await createConversation(db, { numberId: number.id }, { waId: customer });
  await db.insert(messages).values({
    numberId: number.id,
    conversationId: conversation.id,
    contactId: conversation.contactId,
    wamid,
    direction: "outbound",
    origin: "agent",
    type: "text",
    body: "Your order ships today",
    status: "sent",
    sentAt: new Date(),
  });
}

const TEXT = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=";
const ECHO = "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBIyNDlBOEI5QUQ4NDc0N0FCNjMA";
const OUTBOUND = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA";

describe("Meta's documented payloads through the signed route", () => {
  it("text: a customer's message, unread, with the preview and the profile name", async () => {
    const s = await setup();
    expect(await s.deliver("text-message")).toMatchObject({ status: "processed", failedItems: null });
    const m = await s.message(TEXT);
    expect(m).toMatchObject({ direction: "inbound", origin: "customer", type: "text", body: "Does it come in another color?" });
    expect(await s.conversationOf(m!.conversationId)).toMatchObject({
      unreadCount: 1,
      lastMessagePreview: "Does it come in another color?",
    });
    expect(await s.contactOf(m!.contactId)).toMatchObject({ waId: s.customer, profileName: "Sheena Nelson" });
  });

  it.each([
    ["image", "wamid.image-1", { mimeType: "image/jpeg", metaMediaId: "1003383421387256", fileName: null }, "Taj Mahal"],
    [
      "document",
      "wamid.document-1",
      { mimeType: "application/pdf", metaMediaId: "4003383421387256", fileName: "invoice.pdf" },
      "My invoice",
    ],
    ["audio-voice", "wamid.audio-1", { mimeType: "audio/ogg; codecs=opus", metaMediaId: "2003383421387256" }, null],
    ["video", "wamid.video-1", {}, undefined],
    ["sticker", "wamid.sticker-1", {}, undefined],
  ])("%s: the message with its caption, and its media queued for download", async (name, id, asset, caption) => {
    const s = await setup();
    expect(await s.deliver(name)).toMatchObject({ status: "processed" });
    const m = await s.message(id);
    expect(m).toMatchObject({ origin: "customer", type: name === "audio-voice" ? "audio" : name });
    if (caption !== undefined) expect(m!.body).toBe(caption);
    expect(await s.assetOf(m!.id)).toMatchObject({ state: "pending", ...asset });
    const [job] = await db.execute<{ n: number }>(
      raw`select count(*)::int as n from graphile_worker.jobs where key = ${`media:${(await s.assetOf(m!.id))!.id}`}`,
    );
    expect(job!.n).toBe(1);
  });

  it("location: the point, its name and address", async () => {
    const s = await setup();
    await s.deliver("location");
    expect((await s.message("wamid.location-1"))?.content).toMatchObject({
      location: { latitude: 37.48, longitude: -122.14, name: "Meta HQ", address: "1 Hacker Way, Menlo Park, CA 94025" },
    });
  });

  it("contacts: the shared card", async () => {
    const s = await setup();
    await s.deliver("contacts");
    expect((await s.message("wamid.contacts-1"))?.content).toMatchObject({
      contacts: [{ name: { formatted_name: "Pablo Morales" }, phones: [{ phone: "+1 650-555-1234" }] }],
    });
  });

  it("reaction, then its removal: one reaction on the target message, then none", async () => {
    const s = await setup();
    await s.deliver("reaction");
    const reactions = () =>
      db
        .select({ emoji: messageReactions.emoji, reactor: messageReactions.reactor })
        .from(messageReactions)
        .where(
          and(eq(messageReactions.numberId, s.number.id), eq(messageReactions.targetWamid, s.wamid("wamid.business-question"))),
        );
    expect(await reactions()).toEqual([{ emoji: "😀", reactor: "customer" }]);
    await s.deliver("reaction-removed");
    expect((await reactions()).filter((r) => r.emoji !== "")).toEqual([]);
  });

  it("interactive button reply and template button: stored as the customer's replies, previewed by their titles", async () => {
    const s = await setup();
    await s.deliver("interactive-button-reply");
    const reply = await s.message("wamid.interactive-1");
    expect(reply).toMatchObject({ type: "interactive", origin: "customer", replyToWamid: s.wamid("wamid.business-question") });
    expect((await s.conversationOf(reply!.conversationId)).lastMessagePreview).toBe("Change");
    await s.deliver("button");
    const button = await s.message("wamid.button-1");
    expect(button).toMatchObject({ type: "button", replyToWamid: s.wamid("wamid.template-1") });
    expect((await s.conversationOf(button!.conversationId)).lastMessagePreview).toBe("Confirm");
  });

  it("quoted reply: the text with the message it answers", async () => {
    const s = await setup();
    await s.deliver("quoted-reply");
    expect(await s.message("wamid.quoted-1")).toMatchObject({
      body: "Yes, the blue one",
      replyToWamid: s.wamid("wamid.business-question"),
    });
  });

  it("customer edit and revoke: applied to the original text, which leaves the preview when deleted", async () => {
    const s = await setup();
    await s.deliver("text-message");
    await s.deliver("customer-edit");
    const edited = await s.message(TEXT);
    expect(edited).toMatchObject({ body: "Does it come in another color?", editedBody: "Updated image caption" });
    await s.deliver("customer-revoke");
    const revoked = await s.message(TEXT);
    expect(revoked!.deletedAt).not.toBeNull();
    expect((await s.conversationOf(revoked!.conversationId)).lastMessagePreview).not.toContain("color");
  });

  it("echoes: text and image sent from the phone are outbound, from the phone, and never unread; edits and revokes apply", async () => {
    const s = await setup();
    await s.deliver("echo-text");
    const echo = await s.message(ECHO);
    expect(echo).toMatchObject({
      direction: "outbound",
      origin: "phone",
      type: "text",
      body: "Here's the info you requested! https://www.meta.com/quest/quest-3/",
    });
    expect((await s.conversationOf(echo!.conversationId)).unreadCount).toBe(0);
    await s.deliver("echo-image");
    const image = await s.message("wamid.echo-image-1");
    expect(image).toMatchObject({ origin: "phone", type: "image" });
    expect(await s.assetOf(image!.id)).toMatchObject({ state: "pending" });
    await s.deliver("echo-edit");
    expect((await s.message(ECHO))!.editedBody).not.toBeNull();
    await s.deliver("echo-revoke");
    expect((await s.message(ECHO))!.deletedAt).not.toBeNull();
  });

  it("business-scoped user ids: a message and an echo with only a user_id land on one contact without a phone number", async () => {
    const s = await setup();
    await s.deliver("bsuid-only-message");
    const inbound = await s.message("wamid.bsuid-1");
    expect(inbound).toMatchObject({ body: "I use a username now", origin: "customer" });
    expect(await s.contactOf(inbound!.contactId)).toMatchObject({ waId: null, userId: "US.13491208655302741918" });
    await s.deliver("echo-bsuid");
    const echo = await s.message("wamid.echo-bsuid-1");
    expect(echo).toMatchObject({ origin: "phone", contactId: inbound!.contactId });
  });

  it("statuses: delivered moves a sent reply forward", async () => {
    const s = await setup();
    await sentReply(s.number, s.customer, s.wamid(OUTBOUND));
    await s.deliver("status-delivered");
    expect(await s.message(OUTBOUND)).toMatchObject({ status: "delivered" });
  });

  it("statuses: failed marks a sent reply failed with Meta's error", async () => {
    const s = await setup();
    await sentReply(s.number, s.customer, s.wamid(OUTBOUND));
    await s.deliver("status-failed");
    expect(await s.message(OUTBOUND)).toMatchObject({ status: "failed", error: expect.objectContaining({ code: 131049 }) });
  });

  it("unsupported 131060 and 131051: placeholders that do not count as the customer's message", async () => {
    const s = await setup();
    await s.deliver("unsupported-131060");
    await s.deliver("unsupported-131051");
    for (const id of ["wamid.unsupported-1", "wamid.unsupported-2"]) {
      const m = await s.message(id);
      expect(m).toMatchObject({ type: "unsupported", origin: "customer" });
    }
    const m = await s.message("wamid.unsupported-1");
    expect((await s.conversationOf(m!.conversationId)).lastCustomerMessageAt).toBeNull();
  });

  it("history chunk and its media follow-up: an archive with no unread, and the placeholder's media queued", async () => {
    const s = await setup();
    await s.deliver("history-chunk");
    const imported = await db
      .select({ origin: messages.origin, unread: conversations.unreadCount })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(eq(messages.numberId, s.number.id));
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.every((m) => m.origin === "history" && m.unread === 0)).toBe(true);
    expect(await db.select().from(historyChunks).where(eq(historyChunks.numberId, s.number.id))).toHaveLength(1);
    expect((await db.select().from(historySyncs).where(eq(historySyncs.numberId, s.number.id)))[0]).toMatchObject({
      chunksReceived: 1,
      messagesImported: imported.length,
    });
    await s.deliver("history-media-followup");
    const placeholder = await s.message("wamid.QyNUEHBgLMTY0NjcwNDM1OTUVAgARGBI1Rj3NEYxMzAzMzQ5MkEA");
    expect(placeholder).toMatchObject({ type: "image", body: "Black Prince echeveria", origin: "history" });
    expect(await s.assetOf(placeholder!.id)).toMatchObject({ state: "pending", metaMediaId: "24230790383178626" });
  });

  it("history declined (2593109): the sync ends declined", async () => {
    const s = await setup();
    await s.deliver("history-declined");
    expect((await db.select().from(historySyncs).where(eq(historySyncs.numberId, s.number.id)))[0]).toMatchObject({
      state: "declined",
      error: expect.objectContaining({ code: 2593109 }),
    });
  });

  it("contacts sync: an address-book add names the contact, a remove keeps the record of it", async () => {
    const s = await setup();
    await s.deliver("state-sync-add");
    const [added] = await db
      .select()
      .from(contacts)
      .where(and(eq(contacts.numberId, s.number.id), eq(contacts.waId, s.customer)));
    expect(added).toMatchObject({ addressBookName: "Pablo Morales", addressBookFirstName: "Pablo", addressBookRemovedAt: null });
    await s.deliver("state-sync-remove");
    const [removed] = await db.select().from(contacts).where(eq(contacts.id, added!.id));
    expect(removed!.addressBookRemovedAt).not.toBeNull();
  });

  it("account_update: partner removed (with reason), offboarded, reconnected move the number's state in Meta's order", async () => {
    const s = await setup();
    const stateOf = async () => (await db.select().from(numbers).where(eq(numbers.id, s.number.id)))[0]!;
    await s.deliver("account-partner-removed");
    expect(await stateOf()).toMatchObject({
      state: "disconnected",
      disconnectionReason: "PRIMARY_INACTIVITY",
      disconnectionInitiatedBy: "SYSTEM",
    });
    await s.deliver("account-offboarded");
    expect(await stateOf()).toMatchObject({ state: "offboarded" });
    await s.deliver("account-reconnected");
    expect(await stateOf()).toMatchObject({ state: "connected" });
    const events = await db
      .select({ event: numberEvents.event })
      .from(numberEvents)
      .where(eq(numberEvents.wabaId, s.number.wabaId));
    expect(events.map((e) => e.event).sort()).toEqual(["ACCOUNT_OFFBOARDED", "ACCOUNT_RECONNECTED", "PARTNER_REMOVED"]);
  });

  it("template status: the stored template becomes approved", async () => {
    const s = await setup();
    await db.insert(templates).values({
      wabaId: s.number.wabaId,
      metaId: "1689556908129832",
      name: "order_confirmation",
      language: "en_US",
      category: "UTILITY",
      status: "PENDING",
      definition: {},
    });
    expect(await s.deliver("template-status")).toMatchObject({ status: "processed" });
    const [template] = await db.select().from(templates).where(eq(templates.wabaId, s.number.wabaId));
    expect(template).toMatchObject({ status: "APPROVED" });
  });

  it.each(["batch-mixed-fields", "batch-two-numbers"])(
    "%s: every item of the connected number is applied; the other number's wait for it to connect",
    async (name) => {
      const s = await setup();
      const event = await s.deliver(name);
      for (const id of ["wamid.batch-1", "wamid.batch-2"]) expect(await s.message(id), id).toMatchObject({ origin: "customer" });
      expect(await s.message("wamid.batch-3")).toBeUndefined();
      expect(event.status).toBe("failed");
      expect(event.failedItems?.map((f) => f.path).every((p) => p.startsWith("entry["))).toBe(true);
      expect(event.error).toContain("555000111222333");
    },
  );
});
