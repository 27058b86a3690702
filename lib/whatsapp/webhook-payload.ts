import { z } from "zod";

/**
 * Zod schemas for the webhook bodies Meta sends to a coexistence number, and their narrowing into
 * the small union of events Tandem acts on. Payload shapes:
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
 */

const timestamp = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const seconds = Number(v);
  if (!Number.isFinite(seconds)) {
    ctx.addIssue({ code: "custom", message: "timestamp is not a number of seconds" });
    return z.NEVER;
  }
  return new Date(seconds * 1000);
});

const errorSchema = z.looseObject({
  code: z.number(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
});

const metadataSchema = z.looseObject({
  display_phone_number: z.string(),
  phone_number_id: z.string(),
});

const contactSchema = z.looseObject({
  profile: z.looseObject({ name: z.string().optional() }).optional(),
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
});

const messageSchema = z.looseObject({
  id: z.string().min(1),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  to: z.string().optional(),
  to_user_id: z.string().optional(),
  timestamp,
  type: z.string(),
  context: z
    .looseObject({
      id: z.string().optional(),
      from: z.string().optional(),
      forwarded: z.boolean().optional(),
      frequently_forwarded: z.boolean().optional(),
    })
    .optional(),
  errors: z.array(errorSchema).optional(),
});

const statusSchema = z.looseObject({
  id: z.string().min(1),
  status: z.enum(["sent", "delivered", "read", "played", "failed"]),
  timestamp,
  recipient_id: z.string().optional(),
  recipient_user_id: z.string().optional(),
  errors: z.array(errorSchema).optional(),
});

const messagesValueSchema = z.looseObject({
  metadata: metadataSchema,
  contacts: z.array(contactSchema).optional(),
  messages: z.array(messageSchema).optional(),
  statuses: z.array(statusSchema).optional(),
  errors: z.array(errorSchema).optional(),
});

const changeSchema = z.looseObject({ field: z.string(), value: z.unknown() });

export const envelopeSchema = z.looseObject({
  object: z.string(),
  entry: z.array(
    z.looseObject({
      id: z.string(),
      time: z.union([z.string(), z.number()]).optional(),
      changes: z.array(changeSchema),
    }),
  ),
});

export type WaError = z.infer<typeof errorSchema>;
export type WaMessage = z.infer<typeof messageSchema>;
export type WaContact = z.infer<typeof contactSchema>;

/** Who the business is talking to: a WhatsApp id, a business-scoped user id, or both. */
export type ContactRef = { waId: string | null; userId: string | null; profileName: string | null };

export type MessageError = { code: number; title?: string; message?: string; details?: string };

export type WebhookEvent =
  | {
      kind: "message";
      phoneNumberId: string;
      contact: ContactRef;
      message: WaMessage;
    }
  | {
      kind: "status";
      phoneNumberId: string;
      wamid: string;
      status: z.infer<typeof statusSchema>["status"];
      occurredAt: Date;
      error: MessageError | null;
    }
  | { kind: "ignored"; field: string; reason: string };

export class WebhookPayloadError extends Error {}

const blank = (v: string | undefined) => (v && v.length > 0 ? v : null);

export function toMessageError(error: WaError | undefined): MessageError | null {
  if (!error) return null;
  return {
    code: error.code,
    title: error.title,
    message: error.message,
    details: error.error_data?.details,
  };
}

function findContact(contacts: WaContact[] | undefined, waId: string | null, userId: string | null) {
  return contacts?.find((c) => (waId && blank(c.wa_id) === waId) || (userId && blank(c.user_id) === userId));
}

function parseMessagesChange(value: unknown): WebhookEvent[] {
  const parsed = messagesValueSchema.safeParse(value);
  if (!parsed.success) throw new WebhookPayloadError(`messages change: ${z.prettifyError(parsed.error)}`);
  const v = parsed.data;
  const phoneNumberId = v.metadata.phone_number_id;
  const events: WebhookEvent[] = [];
  for (const message of v.messages ?? []) {
    const waId = blank(message.from);
    const userId = blank(message.from_user_id);
    const contact = findContact(v.contacts, waId, userId) ?? (v.contacts?.length === 1 ? v.contacts[0] : undefined);
    events.push({
      kind: "message",
      phoneNumberId,
      contact: {
        waId: waId ?? blank(contact?.wa_id),
        userId: userId ?? blank(contact?.user_id),
        profileName: blank(contact?.profile?.name),
      },
      message,
    });
  }
  for (const status of v.statuses ?? []) {
    events.push({
      kind: "status",
      phoneNumberId,
      wamid: status.id,
      status: status.status,
      occurredAt: status.timestamp,
      error: toMessageError(status.errors?.[0]),
    });
  }
  if (events.length === 0) events.push({ kind: "ignored", field: "messages", reason: "no messages or statuses" });
  return events;
}

/**
 * Turns one verified webhook body into events, iterating every entry and every change (Meta
 * batches several numbers and fields into one POST). Throws WebhookPayloadError on a body that is
 * not a WhatsApp webhook; fields Tandem does not act on become `ignored` events.
 */
export function parseWebhook(body: unknown): WebhookEvent[] {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) throw new WebhookPayloadError(`not a WhatsApp webhook: ${z.prettifyError(envelope.error)}`);
  if (envelope.data.object !== "whatsapp_business_account") {
    throw new WebhookPayloadError(`unexpected object "${envelope.data.object}"`);
  }
  const events: WebhookEvent[] = [];
  for (const entry of envelope.data.entry) {
    for (const change of entry.changes) {
      if (change.field === "messages") events.push(...parseMessagesChange(change.value));
      else events.push({ kind: "ignored", field: change.field, reason: "field not handled" });
    }
  }
  return events;
}

/** A short text for list previews and notifications. */
export function previewOf(message: { type: string } & Record<string, unknown>): string {
  const content = message[message.type] as Record<string, unknown> | undefined;
  if (message.type === "text") return String((content?.body as string | undefined) ?? "");
  const caption = typeof content?.caption === "string" ? content.caption : "";
  const label: Record<string, string> = {
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
  };
  const name = label[message.type] ?? `Unsupported message (${message.type})`;
  return caption ? `${name}: ${caption}` : name;
}
