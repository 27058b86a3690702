import { z } from "zod";
import { MESSAGE_TYPE_LABELS } from "./message-types";

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
  // Echoes the send's biz_opaque_callback_data: Tandem puts its message id there.
  biz_opaque_callback_data: z.string().optional(),
  errors: z.array(errorSchema).optional(),
});

const messagesValueSchema = z.looseObject({
  metadata: metadataSchema,
  contacts: z.array(contactSchema).optional(),
  messages: z.array(messageSchema).optional(),
  statuses: z.array(statusSchema).optional(),
  errors: z.array(errorSchema).optional(),
});

const echoesValueSchema = z.looseObject({
  metadata: metadataSchema,
  contacts: z.array(contactSchema).optional(),
  message_echoes: z.array(messageSchema).default([]),
});

const historyMessageSchema = messageSchema.extend({
  history_context: z.looseObject({ status: z.string() }).optional(),
});

const historyValueSchema = z.looseObject({
  metadata: metadataSchema,
  contacts: z.array(contactSchema).optional(),
  history: z
    .array(
      z.looseObject({
        metadata: z
          .looseObject({ phase: z.coerce.number().int(), chunk_order: z.coerce.number().int(), progress: z.coerce.number() })
          .optional(),
        threads: z
          .array(
            z.looseObject({
              id: z.string().optional(),
              context: contactSchema.extend({ username: z.string().optional() }).optional(),
              messages: z.array(historyMessageSchema).default([]),
            }),
          )
          .optional(),
        errors: z.array(errorSchema).optional(),
      }),
    )
    .optional(),
  // Media follow-ups: customer media under `messages`, business media under `message_echoes`.
  messages: z.array(messageSchema).optional(),
  message_echoes: z.array(messageSchema).optional(),
});

const stateSyncValueSchema = z.looseObject({
  metadata: metadataSchema,
  state_sync: z.array(
    z.looseObject({
      type: z.string(),
      action: z.string(),
      contact: z
        .looseObject({
          full_name: z.string().optional(),
          first_name: z.string().optional(),
          phone_number: z.string().optional(),
          user_id: z.string().optional(),
        })
        .optional(),
      metadata: z.looseObject({ timestamp }).optional(),
    }),
  ),
});

const accountUpdateValueSchema = z.looseObject({
  event: z.string(),
  phone_number: z.string().optional(),
  waba_info: z.looseObject({ waba_id: z.string().optional() }).optional(),
  disconnection_info: z.looseObject({ reason: z.string().optional(), initiated_by: z.string().optional() }).optional(),
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

/**
 * Meta documents the declined-history webhook only as its `value` object, and one implementer saw
 * it arrive without the usual envelope; such a body is wrapped as a `history` change.
 */
const bareHistorySchema = z.looseObject({
  messaging_product: z.literal("whatsapp"),
  metadata: metadataSchema,
  history: z.array(z.unknown()),
});

export function normaliseEnvelope(body: unknown): z.infer<typeof envelopeSchema> | null {
  const envelope = envelopeSchema.safeParse(body);
  if (envelope.success) return envelope.data;
  const bare = bareHistorySchema.safeParse(body);
  if (!bare.success) return null;
  return { object: "whatsapp_business_account", entry: [{ id: "", changes: [{ field: "history", value: body }] }] };
}

export type WaError = z.infer<typeof errorSchema>;
export type WaMessage = z.infer<typeof messageSchema>;
export type WaHistoryMessage = z.infer<typeof historyMessageSchema>;
export type WaContact = z.infer<typeof contactSchema>;

/** Who the business is talking to: a WhatsApp id, a business-scoped user id, or both. */
export type ContactRef = { waId: string | null; userId: string | null; profileName: string | null };

export type MessageError = { code: number; title?: string; message?: string; details?: string };

export type HistoryThread = { contact: ContactRef; messages: (WaHistoryMessage & { direction: "inbound" | "outbound" })[] };

export type WebhookEvent =
  | { kind: "message"; phoneNumberId: string; contact: ContactRef; message: WaMessage }
  | { kind: "echo"; phoneNumberId: string; contact: ContactRef; message: WaMessage }
  | {
      kind: "status";
      phoneNumberId: string;
      wamid: string;
      status: z.infer<typeof statusSchema>["status"];
      occurredAt: Date;
      error: MessageError | null;
      tag: string | null;
    }
  | {
      kind: "history_chunk";
      phoneNumberId: string;
      phase: number;
      chunkOrder: number;
      progress: number;
      threads: HistoryThread[];
    }
  | { kind: "history_media"; phoneNumberId: string; direction: "inbound" | "outbound"; contact: ContactRef; message: WaMessage }
  | { kind: "history_error"; phoneNumberId: string; error: MessageError }
  | {
      kind: "contact_sync";
      phoneNumberId: string;
      action: "add" | "remove";
      contact: { waId: string | null; userId: string | null; fullName: string | null; firstName: string | null };
      occurredAt: Date;
    }
  | {
      kind: "account_update";
      wabaId: string;
      event: string;
      occurredAt: Date;
      phoneNumber: string | null;
      disconnection: { reason: string | null; initiatedBy: string | null } | null;
    }
  | { kind: "ignored"; field: string; reason: string };

export class WebhookPayloadError extends Error {}

const blank = (v: string | undefined | null) => (v && v.length > 0 ? v : null);

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

/** The contact a message is about, from its own ids and the change's `contacts[]`. */
function contactRef(contacts: WaContact[] | undefined, waId: string | null, userId: string | null): ContactRef {
  const contact = findContact(contacts, waId, userId) ?? (contacts?.length === 1 ? contacts[0] : undefined);
  return {
    waId: waId ?? blank(contact?.wa_id),
    userId: userId ?? blank(contact?.user_id),
    profileName: blank(contact?.profile?.name),
  };
}

function parseValue<T extends z.ZodType>(schema: T, value: unknown, field: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new WebhookPayloadError(`${field} change: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function parseMessagesChange(value: unknown): WebhookEvent[] {
  const v = parseValue(messagesValueSchema, value, "messages");
  const phoneNumberId = v.metadata.phone_number_id;
  const events: WebhookEvent[] = [];
  for (const message of v.messages ?? []) {
    const contact = contactRef(v.contacts, blank(message.from), blank(message.from_user_id));
    events.push({ kind: "message", phoneNumberId, contact, message });
  }
  for (const status of v.statuses ?? []) {
    events.push({
      kind: "status",
      phoneNumberId,
      wamid: status.id,
      status: status.status,
      occurredAt: status.timestamp,
      error: toMessageError(status.errors?.[0]),
      tag: status.biz_opaque_callback_data ?? null,
    });
  }
  if (events.length === 0) {
    const error = v.errors?.[0];
    events.push({
      kind: "ignored",
      field: "messages",
      reason: error ? `error ${error.code}: ${error.title ?? ""}` : "no messages or statuses",
    });
  }
  return events;
}

function parseEchoesChange(value: unknown): WebhookEvent[] {
  const v = parseValue(echoesValueSchema, value, "smb_message_echoes");
  return v.message_echoes.map((message) => ({
    kind: "echo" as const,
    phoneNumberId: v.metadata.phone_number_id,
    contact: contactRef(v.contacts, blank(message.to), blank(message.to_user_id)),
    message,
  }));
}

function parseHistoryChange(value: unknown): WebhookEvent[] {
  const v = parseValue(historyValueSchema, value, "history");
  const phoneNumberId = v.metadata.phone_number_id;
  const business = v.metadata.display_phone_number;
  const events: WebhookEvent[] = [];
  for (const item of v.history ?? []) {
    const error = item.errors?.[0];
    if (error) {
      events.push({ kind: "history_error", phoneNumberId, error: toMessageError(error)! });
      continue;
    }
    if (!item.metadata) throw new WebhookPayloadError("history change: a chunk has neither metadata nor errors");
    events.push({
      kind: "history_chunk",
      phoneNumberId,
      phase: item.metadata.phase,
      chunkOrder: item.metadata.chunk_order,
      progress: item.metadata.progress,
      threads: (item.threads ?? []).map((thread) => {
        const threadWaId = blank(thread.id) ?? blank(thread.context?.wa_id);
        const firstInbound = thread.messages.find((m) => blank(m.from) !== business);
        return {
          contact: {
            waId: threadWaId,
            userId: blank(thread.context?.user_id) ?? blank(firstInbound?.from_user_id),
            profileName: blank(thread.context?.profile?.name),
          },
          messages: thread.messages.map((m) => ({
            ...m,
            // The business number sends the outbound half of the history.
            direction: blank(m.from) === business || m.to !== undefined ? ("outbound" as const) : ("inbound" as const),
          })),
        };
      }),
    });
  }
  for (const message of v.messages ?? []) {
    const contact = contactRef(v.contacts, blank(message.from), blank(message.from_user_id));
    events.push({ kind: "history_media", phoneNumberId, direction: "inbound", contact, message });
  }
  for (const message of v.message_echoes ?? []) {
    const contact = contactRef(v.contacts, blank(message.to), blank(message.to_user_id));
    events.push({ kind: "history_media", phoneNumberId, direction: "outbound", contact, message });
  }
  if (events.length === 0) events.push({ kind: "ignored", field: "history", reason: "empty history change" });
  return events;
}

function parseStateSyncChange(value: unknown): WebhookEvent[] {
  const v = parseValue(stateSyncValueSchema, value, "smb_app_state_sync");
  return v.state_sync.map((item): WebhookEvent => {
    if (item.type !== "contact" || (item.action !== "add" && item.action !== "remove") || !item.contact) {
      return { kind: "ignored", field: "smb_app_state_sync", reason: `${item.type}/${item.action} not handled` };
    }
    return {
      kind: "contact_sync",
      phoneNumberId: v.metadata.phone_number_id,
      action: item.action,
      contact: {
        waId: blank(item.contact.phone_number),
        userId: blank(item.contact.user_id),
        fullName: blank(item.contact.full_name),
        firstName: blank(item.contact.first_name),
      },
      occurredAt: item.metadata?.timestamp ?? new Date(0),
    };
  });
}

function parseAccountUpdate(value: unknown, entry: { id: string; time?: string | number }): WebhookEvent[] {
  const v = parseValue(accountUpdateValueSchema, value, "account_update");
  const seconds = Number(entry.time);
  return [
    {
      kind: "account_update",
      wabaId: blank(v.waba_info?.waba_id) ?? entry.id,
      event: v.event,
      occurredAt: Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : new Date(0),
      phoneNumber: blank(v.phone_number),
      disconnection: v.disconnection_info
        ? { reason: blank(v.disconnection_info.reason), initiatedBy: blank(v.disconnection_info.initiated_by) }
        : null,
    },
  ];
}

/**
 * Turns one verified webhook body into events, iterating every entry and every change (Meta
 * batches several numbers and fields into one POST). Throws WebhookPayloadError on a body that is
 * not a WhatsApp webhook; fields Tandem does not act on become `ignored` events.
 */
export function parseWebhook(body: unknown): WebhookEvent[] {
  const envelope = normaliseEnvelope(body);
  if (!envelope) {
    const error = envelopeSchema.safeParse(body).error;
    throw new WebhookPayloadError(`not a WhatsApp webhook: ${error ? z.prettifyError(error) : "unknown shape"}`);
  }
  if (envelope.object !== "whatsapp_business_account") {
    throw new WebhookPayloadError(`unexpected object "${envelope.object}"`);
  }
  const events: WebhookEvent[] = [];
  for (const entry of envelope.entry) {
    for (const change of entry.changes) {
      switch (change.field) {
        case "messages":
          events.push(...parseMessagesChange(change.value));
          break;
        case "smb_message_echoes":
          events.push(...parseEchoesChange(change.value));
          break;
        case "history":
          events.push(...parseHistoryChange(change.value));
          break;
        case "smb_app_state_sync":
          events.push(...parseStateSyncChange(change.value));
          break;
        case "account_update":
          events.push(...parseAccountUpdate(change.value, entry));
          break;
        default:
          events.push({ kind: "ignored", field: change.field, reason: "field not handled" });
      }
    }
  }
  return events;
}

/**
 * Routing keys of a body (phone number ids and WABA ids), stored with the raw event for replays;
 * null when the body is not a WhatsApp webhook at all.
 */
export function routingKeysOf(body: unknown): string[] | null {
  const envelope = normaliseEnvelope(body);
  if (!envelope) return null;
  const keys = new Set<string>();
  for (const entry of envelope.entry) {
    if (entry.id) keys.add(entry.id);
    for (const change of entry.changes) {
      const id = (change.value as { metadata?: { phone_number_id?: unknown } } | null)?.metadata?.phone_number_id;
      if (typeof id === "string") keys.add(id);
    }
  }
  return [...keys];
}

/** A short text for list previews and notifications. */
export function previewOf(message: { type: string } & Record<string, unknown>): string {
  const content = message[message.type] as Record<string, unknown> | undefined;
  if (message.type === "text") return String((content?.body as string | undefined) ?? "");
  const caption = typeof content?.caption === "string" ? content.caption : "";
  const name = MESSAGE_TYPE_LABELS[message.type] ?? `Unsupported message (${message.type})`;
  return caption ? `${name}: ${caption}` : name;
}
