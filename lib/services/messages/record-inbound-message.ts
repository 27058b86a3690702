import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { conversations, messages, type numbers } from "@/db/schema";
import { notifyChange } from "@/lib/realtime/notify";
import { type ContactRef, previewOf, type WaMessage } from "@/lib/whatsapp/webhook-payload";
import { resolveContact } from "../contacts/resolve-contact";

/** WhatsApp placeholder for a message it could not show yet (coexistence, first contact). */
const UNAVAILABLE_MESSAGE_CODE = 131060;

export function isPlaceholder(message: WaMessage) {
  return message.type === "unsupported" && (message.errors ?? []).some((e) => e.code === UNAVAILABLE_MESSAGE_CODE);
}

/** The text agents read in the bubble: message text or media caption. */
export function bodyOf(message: WaMessage): string | null {
  const content = (message as Record<string, unknown>)[message.type] as Record<string, unknown> | undefined;
  if (message.type === "text" && typeof content?.body === "string") return content.body;
  if (typeof content?.caption === "string") return content.caption;
  return null;
}

/**
 * Stores a live customer message (field `messages`) once. Only a new, real message made after the
 * number's onboarding opens or renews the 24-hour window and counts as unread.
 */
export async function recordInboundMessage(
  db: Executor,
  input: { number: typeof numbers.$inferSelect; contact: ContactRef; message: WaMessage },
) {
  const { number, message } = input;
  const { conversation } = await resolveContact(db, { numberId: number.id, ref: input.contact });
  const content = (message as Record<string, unknown>)[message.type] ?? null;

  const [inserted] = await db
    .insert(messages)
    .values({
      numberId: number.id,
      conversationId: conversation.id,
      contactId: conversation.contactId,
      wamid: message.id,
      direction: "inbound",
      origin: "customer",
      type: message.type,
      body: bodyOf(message),
      content: { [message.type]: content, ...(message.errors ? { errors: message.errors } : {}) },
      status: "received",
      replyToWamid: message.context?.id ?? null,
      sentAt: message.timestamp,
    })
    .onConflictDoNothing()
    .returning({ id: messages.id });
  if (!inserted) return { messageId: null, duplicate: true as const };

  const countsAsCustomerActivity = !isPlaceholder(message) && message.timestamp >= number.onboardedAt;
  await db
    .update(conversations)
    .set({
      lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${message.timestamp.toISOString()}::timestamptz)`,
      lastMessagePreview: sql`case when ${conversations.lastMessageAt} is null or ${conversations.lastMessageAt} <= ${message.timestamp.toISOString()}::timestamptz then ${previewOf(message)} else ${conversations.lastMessagePreview} end`,
      lastMessageDirection: sql`case when ${conversations.lastMessageAt} is null or ${conversations.lastMessageAt} <= ${message.timestamp.toISOString()}::timestamptz then 'inbound' else ${conversations.lastMessageDirection} end`,
      ...(countsAsCustomerActivity
        ? {
            unreadCount: sql`${conversations.unreadCount} + 1`,
            lastCustomerMessageAt: sql`greatest(${conversations.lastCustomerMessageAt}, ${message.timestamp.toISOString()}::timestamptz)`,
            // A customer writing again reopens a resolved conversation.
            status: sql`case when ${conversations.status} = 'resolved' then 'open'::conversation_status else ${conversations.status} end`,
          }
        : {}),
    })
    .where(eq(conversations.id, conversation.id));

  await notifyChange(db, {
    type: "message",
    numberId: number.id,
    conversationId: conversation.id,
    messageId: inserted.id,
  });
  return { messageId: inserted.id, duplicate: false as const };
}
