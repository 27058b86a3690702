import type { Executor } from "@/db/client";
import type { numbers } from "@/db/schema";
import { previewOf } from "@/lib/whatsapp/message-types";
import type { ContactRef, WaMessage } from "@/lib/whatsapp/webhook-payload";
import { resolveContact } from "../contacts/resolve-contact";
import { announceCustomerMessage, readActivityState } from "../conversations/announce-activity";
import { renewWindow, renewWindowFromEarlierReaction, touchConversation } from "../conversations/touch-conversation";
import { changeFromMessage, recordMessageChange } from "./message-changes";
import { bodyOf, contentOf, DELETED_PREVIEW, isUnavailablePlaceholder } from "./message-content";
import { recordReaction } from "./record-reaction";
import { storeMessage } from "./store-message";

/**
 * A live message from a customer (field `messages`). Edits, revokes and reactions change other
 * messages; anything else is stored once. Only a real message sent after the number's onboarding
 * counts as customer activity (unread, the 24-hour window, reopening); 131060 placeholders and
 * unsupported types never open the window.
 */
export async function recordCustomerMessage(
  db: Executor,
  input: { number: typeof numbers.$inferSelect; contact: ContactRef; message: WaMessage },
) {
  const { number, message } = input;
  // A customer's reaction or edit is the customer writing: it renews the window of the conversation
  // holding the message it targets (an edit does so where its changes are applied, whichever of the
  // two arrives first; see applyMessageChanges).
  const change = changeFromMessage(message, "customer");
  if (change) return recordMessageChange(db, { ...change, numberId: number.id });
  if (message.type === "reaction") {
    await recordReaction(db, { numberId: number.id, reactor: "customer", message });
    const target = (message.reaction as { message_id?: string } | undefined)?.message_id;
    if (target) await renewWindow(db, { numberId: number.id, targetWamid: target, at: message.timestamp });
    return;
  }

  const { conversation } = await resolveContact(db, { numberId: number.id, ref: input.contact });
  const stored = await storeMessage(db, {
    numberId: number.id,
    conversationId: conversation.id,
    contactId: conversation.contactId,
    wamid: message.id,
    direction: "inbound",
    origin: "customer",
    type: message.type,
    body: bodyOf(message),
    content: contentOf(message),
    status: "received",
    replyToWamid: message.context?.id ?? null,
    sentAt: message.timestamp,
  });
  if (!stored) return;
  await renewWindowFromEarlierReaction(db, { numberId: number.id, wamid: message.id });

  const placeholder = isUnavailablePlaceholder(message);
  const customerActivity = !placeholder && message.type !== "unsupported" && message.timestamp >= number.onboardedAt;
  const before = customerActivity ? await readActivityState(db, conversation.id) : null;
  await touchConversation(db, {
    conversationId: conversation.id,
    at: message.timestamp,
    preview: stored.isDeleted ? DELETED_PREVIEW : placeholder ? "Message not yet available on WhatsApp" : previewOf(message),
    direction: "inbound",
    customerActivity,
    countsUnread: !placeholder,
  });
  if (customerActivity) await announceCustomerMessage(db, { numberId: number.id, conversationId: conversation.id, before });
}
