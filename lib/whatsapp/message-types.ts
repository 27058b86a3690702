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
