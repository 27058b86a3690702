import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseWebhook, routingKeysOf } from "./webhook-payload";

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures", `${name}.json`), "utf8"));
const only = (name: string) => {
  const events = parseWebhook(fixture(name));
  expect(events).toHaveLength(1);
  return events[0]!;
};

describe("smb_message_echoes", () => {
  it("is an echo addressed to the customer in `to`", () => {
    expect(only("echo-text")).toMatchObject({
      kind: "echo",
      contact: { waId: "16505551234", userId: null },
      message: { type: "text", text: { body: "Here's the info you requested! https://www.meta.com/quest/quest-3/" } },
    });
  });

  it("keeps media ids of an echoed image", () => {
    expect(only("echo-image")).toMatchObject({ kind: "echo", message: { type: "image", image: { id: "1003383421387256" } } });
  });

  it("routes a BSUID-only echo by to_user_id when `to` is empty", () => {
    expect(only("echo-bsuid")).toMatchObject({ kind: "echo", contact: { waId: null, userId: "US.13491208655302741918" } });
  });

  it("carries edit and revoke echoes with the original message id", () => {
    expect(only("echo-edit")).toMatchObject({
      kind: "echo",
      message: { id: "wamid.echo-edit-event", type: "edit", edit: { original_message_id: expect.stringMatching(/^wamid\./) } },
    });
    expect(only("echo-revoke")).toMatchObject({
      kind: "echo",
      message: { type: "revoke", revoke: { original_message_id: expect.any(String) } },
    });
  });
});

describe("messages of every type", () => {
  it.each([
    ["image", "image"],
    ["audio-voice", "audio"],
    ["video", "video"],
    ["document", "document"],
    ["sticker", "sticker"],
    ["location", "location"],
    ["contacts", "contacts"],
    ["interactive-button-reply", "interactive"],
    ["button", "button"],
    ["reaction", "reaction"],
    ["reaction-removed", "reaction"],
    ["quoted-reply", "text"],
    ["unsupported-131060", "unsupported"],
    ["unsupported-131051", "unsupported"],
    ["customer-edit", "edit"],
    ["customer-revoke", "revoke"],
  ])("%s is a customer message of type %s", (name, type) => {
    const event = only(name);
    expect(event.kind).toBe("message");
    expect(event.kind === "message" && event.message.type).toBe(type);
  });

  it("keeps the quoted message id of a reply", () => {
    expect(only("quoted-reply")).toMatchObject({ message: { context: { id: "wamid.business-question" } } });
  });

  it("keeps the 131060 error of an unavailable message", () => {
    expect(only("unsupported-131060")).toMatchObject({ message: { errors: [{ code: 131060 }] } });
  });

  it("identifies a username customer by BSUID with empty phone fields", () => {
    expect(only("bsuid-only-message")).toMatchObject({
      contact: { waId: null, userId: "US.13491208655302741918", profileName: "Sheena" },
    });
  });
});

describe("history", () => {
  it("reads chunk metadata, threads, directions and history statuses", () => {
    const event = only("history-chunk");
    if (event.kind !== "history_chunk") throw new Error(`unexpected ${event.kind}`);
    expect({ phase: event.phase, chunkOrder: event.chunkOrder, progress: event.progress }).toEqual({
      phase: 0,
      chunkOrder: 1,
      progress: 55,
    });
    expect(event.threads.map((t) => t.contact.waId)).toEqual(["16505551234", "12125557890"]);
    expect(event.threads[0]!.messages.map((m) => [m.direction, m.type, m.history_context?.status])).toEqual([
      ["outbound", "text", "READ"],
      ["outbound", "media_placeholder", "PLAYED"],
      ["inbound", "text", "READ"],
    ]);
  });

  it("reads a media follow-up as history media for the placeholder's id", () => {
    expect(only("history-media-followup")).toMatchObject({
      kind: "history_media",
      direction: "inbound",
      message: {
        id: "wamid.QyNUEHBgLMTY0NjcwNDM1OTUVAgARGBI1Rj3NEYxMzAzMzQ5MkEA",
        type: "image",
        image: { id: "24230790383178626" },
      },
    });
  });

  it("reads the declined case with and without the usual envelope", () => {
    for (const name of ["history-declined", "history-declined-bare"]) {
      expect(only(name)).toMatchObject({ kind: "history_error", phoneNumberId: "106540352242922", error: { code: 2593109 } });
    }
    expect(routingKeysOf(fixture("history-declined-bare"))).toEqual(["106540352242922"]);
  });
});

describe("smb_app_state_sync and account_update", () => {
  it("reads address-book adds and removes with Meta's timestamp", () => {
    expect(only("state-sync-add")).toMatchObject({
      kind: "contact_sync",
      action: "add",
      contact: { waId: "16505551234", fullName: "Pablo Morales", firstName: "Pablo" },
      occurredAt: new Date(1739321024 * 1000),
    });
    expect(only("state-sync-remove")).toMatchObject({ kind: "contact_sync", action: "remove", contact: { fullName: null } });
  });

  it("routes lifecycle events by WABA with their time and disconnection info", () => {
    expect(only("account-partner-removed")).toMatchObject({
      kind: "account_update",
      wabaId: "102290129340398",
      event: "PARTNER_REMOVED",
      occurredAt: new Date(1739212624 * 1000),
      disconnection: { reason: "PRIMARY_INACTIVITY", initiatedBy: "SYSTEM" },
    });
    expect(only("account-offboarded")).toMatchObject({
      kind: "account_update",
      event: "ACCOUNT_OFFBOARDED",
      disconnection: null,
    });
  });
});

describe("batching", () => {
  it("reads every field of every entry in one POST, in order", () => {
    const kinds = parseWebhook(fixture("batch-mixed-fields")).map((e) => e.kind);
    expect(kinds).toEqual(["message", "message", "status", "status", "echo", "contact_sync", "message", "account_update"]);
    expect(routingKeysOf(fixture("batch-mixed-fields"))).toEqual([
      "102290129340398",
      "106540352242922",
      "987654321098765",
      "555000111222333",
    ]);
  });
});
