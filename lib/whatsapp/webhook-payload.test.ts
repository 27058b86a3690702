import { describe, expect, it } from "vitest";
import batch from "./fixtures/batch-two-numbers.json";
import statusFailed from "./fixtures/status-failed.json";
import textMessage from "./fixtures/text-message.json";
import { parseWebhook, previewOf, WebhookPayloadError } from "./webhook-payload";

describe("parseWebhook", () => {
  it("turns a text message into a message event with the contact's profile name", () => {
    const [event] = parseWebhook(textMessage);
    expect(event).toMatchObject({
      kind: "message",
      phoneNumberId: "106540352242922",
      contact: { waId: "16505551234", userId: null, profileName: "Sheena Nelson" },
      message: {
        id: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
        type: "text",
        text: { body: "Does it come in another color?" },
      },
    });
    expect(event?.kind === "message" && event.message.timestamp.toISOString()).toBe("2025-06-08T20:59:43.000Z");
  });

  it("turns a failed status into a status event that keeps Meta's error", () => {
    const [event] = parseWebhook(statusFailed);
    expect(event).toMatchObject({
      kind: "status",
      wamid: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA",
      status: "failed",
      error: { code: 131049, title: "This message was not delivered to maintain healthy ecosystem engagement." },
    });
  });

  it("reads every entry and every change of a batched POST, across numbers and fields", () => {
    const events = parseWebhook(batch);
    expect(events.map((e) => e.kind)).toEqual(["message", "message", "status", "status", "message", "account_update"]);
    const messages = events.filter((e) => e.kind === "message");
    expect(messages.map((e) => [e.phoneNumberId, e.contact.profileName])).toEqual([
      ["106540352242922", "Sheena Nelson"],
      ["106540352242922", "Oliver Brown"],
      ["555000111222333", "Ana Souza"],
    ]);
  });

  it("keeps a business-scoped user id when the phone number is an empty string", () => {
    const body = structuredClone(textMessage);
    const value = body.entry[0]!.changes[0]!.value as Record<string, unknown> & { messages: Record<string, unknown>[] };
    value.contacts = [{ profile: { name: "Sheena" }, wa_id: "", user_id: "US.13491208655302741918" }];
    value.messages[0]!.from = "";
    value.messages[0]!.from_user_id = "US.13491208655302741918";
    const [event] = parseWebhook(body);
    expect(event).toMatchObject({
      kind: "message",
      contact: { waId: null, userId: "US.13491208655302741918", profileName: "Sheena" },
    });
  });

  it("rejects bodies that are not WhatsApp webhooks with a clear error", () => {
    expect(() => parseWebhook({ hello: "world" })).toThrow(WebhookPayloadError);
    expect(() => parseWebhook({ object: "page", entry: [] })).toThrow(/unexpected object "page"/);
    const broken = structuredClone(textMessage);
    (broken.entry[0]!.changes[0]!.value.messages[0] as Record<string, unknown>).timestamp = "yesterday";
    expect(() => parseWebhook(broken)).toThrow(/timestamp/);
  });
});

describe("previewOf", () => {
  it("labels media with their caption", () => {
    expect(previewOf({ type: "image", image: { caption: "Blue one" } })).toBe("Photo: Blue one");
    expect(previewOf({ type: "text", text: { body: "Hi" } })).toBe("Hi");
  });
});
