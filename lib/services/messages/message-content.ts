import type { WaMessage } from "@/lib/whatsapp/webhook-payload";

/** WhatsApp's placeholder for a message it could not show yet (coexistence, first contact). */
export const UNAVAILABLE_MESSAGE_CODE = 131060;

export function isUnavailablePlaceholder(message: WaMessage) {
  return message.type === "unsupported" && (message.errors ?? []).some((e) => e.code === UNAVAILABLE_MESSAGE_CODE);
}

/** What previews say once a customer or the phone deleted a message: its text is gone from the inbox. */
export const DELETED_PREVIEW = "This message was deleted";

/** The text agents read in the bubble: message text, media caption, or a reply's title. */
export function bodyOf(message: WaMessage): string | null {
  const content = (message as Record<string, unknown>)[message.type] as Record<string, unknown> | undefined;
  if (!content) return null;
  if (message.type === "text" && typeof content.body === "string") return content.body;
  if (typeof content.caption === "string") return content.caption;
  if (message.type === "button" && typeof content.text === "string") return content.text;
  if (message.type === "interactive") {
    const reply = (content.button_reply ?? content.list_reply ?? content.nfm_reply) as
      | { title?: string; body?: string }
      | undefined;
    return reply?.title ?? reply?.body ?? null;
  }
  if (message.type === "location") {
    const name = [content.name, content.address].filter((v) => typeof v === "string" && v).join(", ");
    return name || null;
  }
  return null;
}

/** The stored content: the type-specific object, plus errors for unsupported messages. */
export function contentOf(message: WaMessage) {
  const content = (message as Record<string, unknown>)[message.type] ?? null;
  return { [message.type]: content, ...(message.errors ? { errors: message.errors } : {}) };
}

const MEDIA_TYPES = new Set(["image", "video", "audio", "document", "sticker"]);

/** Meta's media id of a media message, to download it through the Graph media endpoint. */
export function mediaOf(message: { type: string } & Record<string, unknown>) {
  if (!MEDIA_TYPES.has(message.type)) return null;
  const media = message[message.type] as { id?: string; mime_type?: string; sha256?: string; filename?: string } | undefined;
  if (!media?.id) return null;
  return {
    metaMediaId: media.id,
    mimeType: media.mime_type ?? null,
    sha256: media.sha256 ?? null,
    fileName: media.filename ?? null,
  };
}
