import { describe, expect, it } from "vitest";
import type { WaMessage } from "@/lib/whatsapp/webhook-payload";
import { bodyOf, isUnavailablePlaceholder, mediaOf } from "./message-content";

const message = (type: string, content: Record<string, unknown>, extra: Partial<WaMessage> = {}) =>
  ({ id: "wamid.x", timestamp: new Date(0), type, [type]: content, ...extra }) as WaMessage;

describe("message content", () => {
  it("shows text, captions, reply titles and place names as the bubble's text", () => {
    expect(bodyOf(message("text", { body: "Hi" }))).toBe("Hi");
    expect(bodyOf(message("image", { caption: "Blue", id: "1" }))).toBe("Blue");
    expect(bodyOf(message("interactive", { type: "button_reply", button_reply: { id: "a", title: "Change" } }))).toBe("Change");
    expect(bodyOf(message("button", { payload: "P", text: "Confirm" }))).toBe("Confirm");
    expect(bodyOf(message("location", { name: "Meta HQ", address: "1 Hacker Way" }))).toBe("Meta HQ, 1 Hacker Way");
    expect(bodyOf(message("sticker", { id: "1" }))).toBeNull();
  });

  it("finds Meta's media id only on media types", () => {
    expect(mediaOf({ type: "document", document: { id: "9", mime_type: "application/pdf", filename: "a.pdf" } })).toEqual({
      metaMediaId: "9",
      mimeType: "application/pdf",
      sha256: null,
      fileName: "a.pdf",
    });
    expect(mediaOf({ type: "text", text: { body: "x" } })).toBeNull();
    expect(mediaOf({ type: "media_placeholder" })).toBeNull();
  });

  it("recognises WhatsApp's 131060 placeholder and nothing else", () => {
    expect(isUnavailablePlaceholder(message("unsupported", { type: "x" }, { errors: [{ code: 131060 }] }))).toBe(true);
    expect(isUnavailablePlaceholder(message("unsupported", { type: "x" }, { errors: [{ code: 131051 }] }))).toBe(false);
  });
});
