import fc from "fast-check";
import { describe, expect, it } from "vitest";
import partnerRemoved from "./fixtures/account-partner-removed.json";
import batch from "./fixtures/batch-two-numbers.json";
import buttonReply from "./fixtures/button.json";
import interactiveReply from "./fixtures/interactive-button-reply.json";
import statusFailed from "./fixtures/status-failed.json";
import textMessage from "./fixtures/text-message.json";
import { previewOf } from "./message-types";
import {
  historyMessageSchema,
  parseWebhook,
  parseWebhookItems,
  parseWebhookText,
  readHistoryMessage,
  storableText,
  WebhookPayloadError,
} from "./webhook-payload";

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

describe("parseWebhookItems", () => {
  const receivedAt = new Date("2026-01-02T03:04:05Z");

  it("reads each message and status alone, naming the malformed ones by their path", () => {
    const body = structuredClone(batch) as unknown as { entry: { changes: { value: Record<string, unknown[]> }[] }[] };
    (body.entry[0]!.changes[0]!.value.messages![1] as Record<string, unknown>).timestamp = "yesterday";
    body.entry[0]!.changes[1]!.value.statuses![0] = { id: 42 };
    const items = parseWebhookItems(body, { receivedAt });
    const invalid = items.flatMap((i) => ("invalid" in i ? [i.path] : []));
    expect(invalid).toEqual(["entry[0].changes[0].value.messages[1]", "entry[0].changes[1].value.statuses[0]"]);
    expect(items.filter((i) => "event" in i)).toHaveLength(4);
  });

  it("removes NUL and replaces lone surrogates everywhere, keys included", () => {
    const body = structuredClone(textMessage);
    const value = body.entry[0]!.changes[0]!.value;
    value.messages[0]!.text.body = "a\u0000b\ud800c\udc00d\ud83d\ude00";
    value.contacts[0]!.profile.name = "N\u0000";
    const [item] = parseWebhookItems(body, { receivedAt });
    expect(item && "event" in item && item.event).toMatchObject({
      kind: "message",
      contact: { profileName: "N" },
      message: { text: { body: "ab\ufffdc\ufffdd😀" } },
    });
    expect(storableText("\u0000")).toBe("");
  });

  it("cleans NUL and lone surrogates that JSON text carries as escapes, and reads clean text as is", () => {
    const body = structuredClone(textMessage);
    body.entry[0]!.changes[0]!.value.messages[0]!.text.body = "a\u0000b\ud800c\ud83d\ude00";
    const [dirty] = parseWebhookText(JSON.stringify(body), { receivedAt });
    expect(dirty && "event" in dirty && dirty.event).toMatchObject({ message: { text: { body: "ab\ufffdc😀" } } });
    body.entry[0]!.changes[0]!.value.messages[0]!.text.body = "Plain text, ça va 😀";
    const [clean] = parseWebhookText(JSON.stringify(body), { receivedAt });
    expect(clean && "event" in clean && clean.event).toMatchObject({ message: { text: { body: "Plain text, ça va 😀" } } });
  });

  it("uses the receipt time for an account_update without entry.time", () => {
    const body = structuredClone(partnerRemoved) as { entry: { time?: number }[] };
    delete body.entry[0]!.time;
    const [item] = parseWebhookItems(body, { receivedAt });
    expect(item && "event" in item && item.event).toMatchObject({
      kind: "account_update",
      occurredAt: receivedAt,
      timeFromReceipt: true,
    });
  });
});

describe("previewOf", () => {
  it("labels media with their caption", () => {
    expect(previewOf({ type: "image", image: { caption: "Blue one" } })).toBe("Photo: Blue one");
    expect(previewOf({ type: "text", text: { body: "Hi" } })).toBe("Hi");
  });

  it("previews a tapped button or quick reply by its title", () => {
    const [interactive] = parseWebhook(interactiveReply);
    const [button] = parseWebhook(buttonReply);
    expect(interactive?.kind === "message" && previewOf(interactive.message)).toBe("Change");
    expect(button?.kind === "message" && previewOf(button.message)).toBe("Confirm");
    expect(
      previewOf({ type: "interactive", interactive: { type: "list_reply", list_reply: { id: "1", title: "Tuesday" } } }),
    ).toBe("Tuesday");
  });
});

describe("readHistoryMessage", () => {
  const anything = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue());
  // Mostly the expected type, sometimes anything.
  const field = (expected: fc.Arbitrary<unknown>) =>
    fc.oneof({ arbitrary: expected, weight: 5 }, { arbitrary: anything, weight: 1 });
  // Left out (undefined, which JSON drops) `absent` times out of `absent + 1`.
  const sometimes = (arbitrary: fc.Arbitrary<unknown>, absent = 1) =>
    fc.oneof({ arbitrary: fc.constant(undefined), weight: absent }, { arbitrary, weight: 1 });
  /** A JSON object: `required` keys (one sometimes left out), some `optional` and other keys, in any order. */
  const object = (required: Record<string, fc.Arbitrary<unknown>>, optional: Record<string, fc.Arbitrary<unknown>>) =>
    fc
      .tuple(
        fc.record(required),
        fc.oneof(
          { arbitrary: fc.constant(null), weight: 5 },
          { arbitrary: fc.constantFrom(...Object.keys(required), "-"), weight: 1 },
        ),
        fc.record(
          Object.fromEntries(
            Object.entries({ ...optional, extra: anything, constructor: sometimes(anything, 4) }).map(([key, value]) => [
              key,
              sometimes(value),
            ]),
          ),
        ),
        sometimes(anything, 20),
      )
      .chain(([present, dropped, others, proto]) => {
        const entries = [
          ...Object.entries(present).filter(([key]) => key !== dropped),
          ...Object.entries(others),
          ...(proto === undefined ? [] : [["__proto__", proto] as const]),
        ];
        return fc.shuffledSubarray(entries, { minLength: entries.length });
      })
      .map((entries) => JSON.parse(JSON.stringify(Object.fromEntries(entries))) as unknown);
  const message = object(
    {
      id: field(fc.oneof(fc.string(), fc.constant("wamid.1"))),
      timestamp: field(
        fc.oneof(
          fc.integer().map(String),
          fc.string(),
          fc.double(),
          fc.integer(),
          fc.constantFrom("Infinity", "1e400", "", " 7 ", "0x10"),
        ),
      ),
      type: field(fc.constantFrom("text", "media_placeholder", "image")),
    },
    {
      from: field(fc.string()),
      from_user_id: field(fc.string()),
      to: field(fc.string()),
      to_user_id: field(fc.string()),
      context: field(
        object(
          {},
          {
            id: field(fc.string()),
            from: field(fc.string()),
            forwarded: field(fc.boolean()),
            frequently_forwarded: field(fc.boolean()),
          },
        ),
      ),
      errors: sometimes(fc.constant([{ code: 131051, title: "Message type unknown" }]), 5),
      history_context: field(object({ status: field(fc.constantFrom("READ", "DELIVERED")) }, {})),
      text: field(object({}, { body: field(fc.string()) })),
    },
  );

  it("reads what the schema accepts as the schema does, key order included, and leaves the rest to it", () => {
    let read = 0;
    fc.assert(
      fc.property(message, (value) => {
        const fast = readHistoryMessage(value);
        if (fast === undefined) return;
        read++;
        const parsed = historyMessageSchema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(fast).toEqual(parsed.data);
        // The chunk's content hash is taken over this text.
        expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data));
      }),
      { numRuns: 5_000 },
    );
    // Enough of the generated messages take the fast path for the comparison to mean something.
    expect(read).toBeGreaterThan(500);
  });

  it("reads the usual shapes itself", () => {
    const usual = [
      {
        from: "16505551234",
        id: "wamid.a",
        timestamp: "1733000000",
        type: "text",
        text: { body: "hi" },
        history_context: { status: "READ" },
      },
      { from: "15550001111", to: "16505551234", id: "wamid.b", timestamp: 1733000000, type: "media_placeholder" },
      { id: "wamid.c", timestamp: "1", type: "text", text: { body: "re" }, context: { id: "wamid.a", from: "1650" }, x: [1] },
    ];
    for (const value of usual) {
      expect(readHistoryMessage(value)).toBeDefined();
      expect(JSON.stringify(readHistoryMessage(value))).toBe(JSON.stringify(historyMessageSchema.parse(value)));
    }
  });
});
