import type { Executor } from "@/db/client";
import type { numbers } from "@/db/schema";
import { previewOf } from "@/lib/whatsapp/message-types";
import type { ContactRef, WaMessage } from "@/lib/whatsapp/webhook-payload";
import { resolveContact } from "../contacts/resolve-contact";
import { touchConversation } from "../conversations/touch-conversation";
import { changeFromMessage, recordMessageChange } from "./message-changes";
import { bodyOf, contentOf, DELETED_PREVIEW } from "./message-content";
import { recordReaction } from "./record-reaction";
import { storeMessage } from "./store-message";

/**
 * A message the business sent from the WhatsApp Business app (`smb_message_echoes`): outbound,
 * origin "phone". Meta says echoes never create or extend the customer-service window, so they are
 * kept out of every inbound rule (unread, window, reopening).
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/smb_message_echoes
 */
export async function recordEcho(
  db: Executor,
  input: { number: typeof numbers.$inferSelect; contact: ContactRef; message: WaMessage },
) {
  const { number, message } = input;
  const change = changeFromMessage(message, "phone");
  if (change) return recordMessageChange(db, { ...change, numberId: number.id });
  if (message.type === "reaction") return recordReaction(db, { numberId: number.id, reactor: "business", message });

  const { conversation } = await resolveContact(db, { numberId: number.id, ref: { ...input.contact, profileName: null } });
  const stored = await storeMessage(db, {
    numberId: number.id,
    conversationId: conversation.id,
    contactId: conversation.contactId,
    wamid: message.id,
    direction: "outbound",
    origin: "phone",
    type: message.type,
    body: bodyOf(message),
    content: contentOf(message),
    status: "sent",
    replyToWamid: message.context?.id ?? null,
    sentAt: message.timestamp,
  });
  if (!stored) return;
  await touchConversation(db, {
    conversationId: conversation.id,
    at: message.timestamp,
    preview: stored.isDeleted ? DELETED_PREVIEW : previewOf(message),
    direction: "outbound",
    customerActivity: false,
  });
}
