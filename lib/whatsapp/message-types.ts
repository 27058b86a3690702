/** Words for WhatsApp message types, shared by list previews and the thread. */
export const MESSAGE_TYPE_LABELS: Readonly<Record<string, string>> = {
  image: "Photo",
  video: "Video",
  audio: "Audio",
  document: "Document",
  sticker: "Sticker",
  location: "Location",
  contacts: "Contact card",
  reaction: "Reaction",
  interactive: "Reply",
  button: "Button reply",
  template: "Template message",
  media_placeholder: "Media",
  unsupported: "Unsupported message",
};

/** A short text for list previews and notifications. */
export function previewOf(message: { type: string } & Record<string, unknown>): string {
  const content = message[message.type] as Record<string, unknown> | undefined;
  if (message.type === "text") return String((content?.body as string | undefined) ?? "");
  // A tapped quick-reply or list button: its title is what the customer said.
  const reply = (content?.button_reply ?? content?.list_reply) as { title?: unknown } | undefined;
  const title = message.type === "button" ? content?.text : message.type === "interactive" ? reply?.title : undefined;
  if (typeof title === "string" && title) return title;
  const caption = typeof content?.caption === "string" ? content.caption : "";
  const name = MESSAGE_TYPE_LABELS[message.type] ?? `Unsupported message (${message.type})`;
  return caption ? `${name}: ${caption}` : name;
}
