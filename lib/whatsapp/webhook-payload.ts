import { z } from "zod";

/**
 * Zod schemas for the webhook bodies Meta sends to a coexistence number, and their narrowing into
 * the small union of events Tandem acts on. Payload shapes:
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
 */

/** Meta's timestamps: seconds since the epoch, as a string or a number; null when not a number. */
function secondsToDate(v: string | number) {
  const seconds = Number(v);
  return Number.isFinite(seconds) ? new Date(seconds * 1000) : null;
}

const timestamp = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const at = secondsToDate(v);
  if (at) return at;
  ctx.addIssue({ code: "custom", message: "timestamp is not a number of seconds" });
  return z.NEVER;
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

export const historyMessageSchema = messageSchema.extend({
  history_context: z.looseObject({ status: z.string() }).optional(),
});

/** A field's value as its schema outputs it, or INVALID when the schema is to say what is wrong. */
type Field = (value: unknown) => unknown;
const INVALID = Symbol("invalid");
const text: Field = (v) => (typeof v === "string" ? v : INVALID);
const flag: Field = (v) => (typeof v === "boolean" ? v : INVALID);

/**
 * What `z.looseObject(shape)` outputs for `value` when every field of `shape` it has reads: the
 * shape's keys first, in the shape's order, then the other keys as they came (the chunk's content
 * hash depends on that order). INVALID when a field does not read or a required one is missing.
 */
function copyLoose(value: unknown, shape: Record<string, Field>, required: string[]) {
  if (typeof value !== "object" || value === null || Array.isArray(value) || Object.hasOwn(value, "__proto__")) return INVALID;
  const input = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key in shape) {
    if (key in input) {
      const read = shape[key]!(input[key]);
      if (read === INVALID) return INVALID;
      out[key] = read;
    } else if (required.includes(key)) return INVALID;
  }
  for (const key of Object.keys(input)) if (!Object.hasOwn(shape, key)) out[key] = input[key];
  return out;
}

const contextShape = { id: text, from: text, forwarded: flag, frequently_forwarded: flag };
const historyContextShape = { status: text };
// The keys of historyMessageSchema, in its order.
const historyMessageShape: Record<string, Field> = {
  id: (v) => (typeof v === "string" && v.length > 0 ? v : INVALID),
  from: text,
  from_user_id: text,
  to: text,
  to_user_id: text,
  timestamp: (v) => ((typeof v === "string" || typeof v === "number") && secondsToDate(v)) || INVALID,
  type: text,
  context: (v) => copyLoose(v, contextShape, []),
  // Errors are rare in history: the schema reads them.
  errors: () => INVALID,
  history_context: (v) => copyLoose(v, historyContextShape, ["status"]),
};

/**
 * A history message read without zod (a chunk holds up to 1,000, and parsing them was the largest
 * part of the worker's own time): the same output as historyMessageSchema, or undefined when the
 * schema must read it (anything it would reject, and the rare shapes this does not cover).
 */
export function readHistoryMessage(value: unknown): WaHistoryMessage | undefined {
  const out = copyLoose(value, historyMessageShape, ["id", "timestamp", "type"]);
  return out === INVALID ? undefined : (out as WaHistoryMessage);
}

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
      /** Meta sent no entry.time; occurredAt is when Tandem received the body. */
      timeFromReceipt: boolean;
      phoneNumber: string | null;
      disconnection: { reason: string | null; initiatedBy: string | null } | null;
    }
  | {
      kind: "template_status";
      wabaId: string;
      metaId: string;
      name: string | null;
      language: string | null;
      status: string;
      reason: string | null;
    }
  | { kind: "ignored"; field: string; reason: string };

export class WebhookPayloadError extends Error {}

/** One part of a body: an event to apply, or why that part cannot be read. `path` names it in the body. */
export type WebhookItem = { path: string; event: WebhookEvent } | { path: string; invalid: string };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text PostgreSQL can store: it refuses NUL in text and jsonb, and lone UTF-16 surrogates in jsonb.
 * NUL is removed and a lone surrogate becomes U+FFFD; the raw bytes stay on the stored event.
 */
export function storableText(text: string) {
  return text.replaceAll("\u0000", "").replace(LONE_SURROGATE, "\uFFFD");
}

/**
 * The items of a webhook body's JSON text. Valid JSON can only carry NUL or a lone surrogate as a
 * \u escape (a raw one is invalid JSON or invalid UTF-8, decoded as U+FFFD), so a text without such
 * an escape skips the copy that cleans every string: most bodies, and all of a large history chunk.
 */
export function parseWebhookText(text: string, options: { receivedAt: Date }) {
  return parseWebhookItems(JSON.parse(text), { ...options, isStorable: !/\\u(0000|d[89a-f])/i.test(text) });
}

/** A parsed JSON body with every string (keys too) made storable. */
export function toStorable(value: unknown): unknown {
  if (typeof value === "string") return storableText(value);
  if (Array.isArray(value)) return value.map(toStorable);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty: a "__proto__" key from JSON stays a plain property.
    Object.defineProperty(out, storableText(key), {
      value: toStorable(item),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

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

/** Collects the items of one body while its parts are read. */
class Reader {
  readonly items: WebhookItem[] = [];

  event(path: string, event: WebhookEvent) {
    this.items.push({ path, event });
  }

  /** The value parsed with `schema`, or undefined after recording why it is not readable. */
  read<T extends z.ZodType>(schema: T, value: unknown, path: string): z.infer<T> | undefined {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    this.items.push({ path, invalid: z.prettifyError(parsed.error).slice(0, 300) });
    return undefined;
  }

  /**
   * Each element of `value[key]` read alone, so one malformed element does not lose its siblings;
   * `fast` may read an element the schema's way, more cheaply, or leave it to the schema.
   */
  each<T extends z.ZodType>(
    schema: T,
    value: Record<string, unknown>,
    key: string,
    path: string,
    fast?: (element: unknown) => z.infer<T> | undefined,
  ) {
    const list = value[key];
    const out: { path: string; value: z.infer<T> }[] = [];
    if (list === undefined) return out;
    if (!Array.isArray(list)) {
      this.items.push({ path: `${path}.${key}`, invalid: `${key} is not an array` });
      return out;
    }
    list.forEach((element, i) => {
      const itemPath = `${path}.${key}[${i}]`;
      const parsed = fast?.(element) ?? this.read(schema, element, itemPath);
      if (parsed !== undefined) out.push({ path: itemPath, value: parsed });
    });
    return out;
  }
}

/** Contacts only name the people messages are about: an unreadable one is left out, not fatal. */
const contactsOf = (value: Record<string, unknown>): WaContact[] | undefined =>
  Array.isArray(value.contacts)
    ? value.contacts.flatMap((c: unknown) => {
        const parsed = contactSchema.safeParse(c);
        return parsed.success ? [parsed.data] : [];
      })
    : undefined;

const headSchema = z.looseObject({ metadata: metadataSchema });
// Built once: zod compiles a schema on its first use, which per event cost more than the parse.
const messagesHeadSchema = headSchema.extend({ errors: z.array(errorSchema).optional().catch(undefined) });

function readMessagesChange(r: Reader, value: unknown, path: string) {
  const head = r.read(messagesHeadSchema, value, path);
  if (!head) return;
  const phoneNumberId = head.metadata.phone_number_id;
  const contacts = contactsOf(head);
  const messages = r.each(messageSchema, head, "messages", path);
  const statuses = r.each(statusSchema, head, "statuses", path);
  for (const { path: p, value: message } of messages) {
    r.event(p, {
      kind: "message",
      phoneNumberId,
      contact: contactRef(contacts, blank(message.from), blank(message.from_user_id)),
      message,
    });
  }
  for (const { path: p, value: status } of statuses) {
    r.event(p, {
      kind: "status",
      phoneNumberId,
      wamid: status.id,
      status: status.status,
      occurredAt: status.timestamp,
      error: toMessageError(status.errors?.[0]),
      tag: status.biz_opaque_callback_data ?? null,
    });
  }
  if (head.messages === undefined && head.statuses === undefined) {
    const error = head.errors?.[0];
    r.event(path, {
      kind: "ignored",
      field: "messages",
      reason: error ? `error ${error.code}: ${error.title ?? ""}` : "no messages or statuses",
    });
  }
}

function readEchoesChange(r: Reader, value: unknown, path: string) {
  const head = r.read(headSchema, value, path);
  if (!head) return;
  const contacts = contactsOf(head);
  for (const { path: p, value: message } of r.each(messageSchema, head, "message_echoes", path)) {
    r.event(p, {
      kind: "echo",
      phoneNumberId: head.metadata.phone_number_id,
      contact: contactRef(contacts, blank(message.to), blank(message.to_user_id)),
      message,
    });
  }
}

const historyItemSchema = z.looseObject({
  metadata: z
    .looseObject({ phase: z.coerce.number().int(), chunk_order: z.coerce.number().int(), progress: z.coerce.number() })
    .optional(),
  threads: z
    .array(
      z.looseObject({ id: z.string().optional(), context: contactSchema.extend({ username: z.string().optional() }).optional() }),
    )
    .optional(),
  errors: z.array(errorSchema).optional(),
});

function readHistoryChange(r: Reader, value: unknown, path: string) {
  const head = r.read(headSchema, value, path);
  if (!head) return;
  const phoneNumberId = head.metadata.phone_number_id;
  const business = head.metadata.display_phone_number;
  const before = r.items.length;
  for (const { path: p, value: item } of r.each(historyItemSchema, head, "history", path)) {
    const error = item.errors?.[0];
    if (error) {
      r.event(p, { kind: "history_error", phoneNumberId, error: toMessageError(error)! });
      continue;
    }
    if (!item.metadata) {
      r.items.push({ path: p, invalid: "a history chunk has neither metadata nor errors" });
      continue;
    }
    const threads = (item.threads ?? []).map((thread, t) => {
      // Thread messages are read one by one: a malformed one is reported, the chunk is imported.
      const messages = r.each(historyMessageSchema, thread, "messages", `${p}.threads[${t}]`, readHistoryMessage);
      const threadWaId = blank(thread.id) ?? blank(thread.context?.wa_id);
      const firstInbound = messages.find((m) => blank(m.value.from) !== business)?.value;
      return {
        contact: {
          waId: threadWaId,
          userId: blank(thread.context?.user_id) ?? blank(firstInbound?.from_user_id),
          profileName: blank(thread.context?.profile?.name),
        },
        // Each message is a copy of its own already: it takes its direction in place.
        messages: messages.map(({ value: m }) =>
          Object.assign(m, {
            // The business number sends the outbound half of the history.
            direction: blank(m.from) === business || m.to !== undefined ? ("outbound" as const) : ("inbound" as const),
          }),
        ),
      };
    });
    r.event(p, {
      kind: "history_chunk",
      phoneNumberId,
      phase: item.metadata.phase,
      chunkOrder: item.metadata.chunk_order,
      progress: item.metadata.progress,
      threads,
    });
  }
  const contacts = contactsOf(head);
  for (const { path: p, value: message } of r.each(messageSchema, head, "messages", path)) {
    const contact = contactRef(contacts, blank(message.from), blank(message.from_user_id));
    r.event(p, { kind: "history_media", phoneNumberId, direction: "inbound", contact, message });
  }
  for (const { path: p, value: message } of r.each(messageSchema, head, "message_echoes", path)) {
    const contact = contactRef(contacts, blank(message.to), blank(message.to_user_id));
    r.event(p, { kind: "history_media", phoneNumberId, direction: "outbound", contact, message });
  }
  if (r.items.length === before) r.event(path, { kind: "ignored", field: "history", reason: "empty history change" });
}

const stateSyncItemSchema = z.looseObject({
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
});

function readStateSyncChange(r: Reader, value: unknown, path: string, receivedAt: Date) {
  const head = r.read(headSchema, value, path);
  if (!head) return;
  for (const { path: p, value: item } of r.each(stateSyncItemSchema, head, "state_sync", path)) {
    if (item.type !== "contact" || (item.action !== "add" && item.action !== "remove") || !item.contact) {
      r.event(p, { kind: "ignored", field: "smb_app_state_sync", reason: `${item.type}/${item.action} not handled` });
      continue;
    }
    r.event(p, {
      kind: "contact_sync",
      phoneNumberId: head.metadata.phone_number_id,
      action: item.action,
      contact: {
        waId: blank(item.contact.phone_number),
        userId: blank(item.contact.user_id),
        fullName: blank(item.contact.full_name),
        firstName: blank(item.contact.first_name),
      },
      occurredAt: item.metadata?.timestamp ?? receivedAt,
    });
  }
}

function readAccountUpdate(
  r: Reader,
  value: unknown,
  path: string,
  entry: { id: string; time?: string | number },
  receivedAt: Date,
) {
  const v = r.read(accountUpdateValueSchema, value, path);
  if (!v) return;
  const seconds = Number(entry.time);
  const hasTime = entry.time !== undefined && entry.time !== "" && Number.isFinite(seconds) && seconds > 0;
  r.event(path, {
    kind: "account_update",
    wabaId: blank(v.waba_info?.waba_id) ?? entry.id,
    event: v.event,
    // Without entry.time the receipt time stands in: a 1970 time would lose to every earlier event.
    occurredAt: hasTime ? new Date(seconds * 1000) : receivedAt,
    timeFromReceipt: !hasTime,
    phoneNumber: blank(v.phone_number),
    disconnection: v.disconnection_info
      ? { reason: blank(v.disconnection_info.reason), initiatedBy: blank(v.disconnection_info.initiated_by) }
      : null,
  });
}

const changeReaders: Record<string, (r: Reader, value: unknown, path: string, receivedAt: Date) => void> = {
  messages: readMessagesChange,
  smb_message_echoes: readEchoesChange,
  history: readHistoryChange,
  smb_app_state_sync: readStateSyncChange,
};

const templateStatusValueSchema = z.looseObject({
  event: z.string().min(1),
  message_template_id: z.union([z.string(), z.number()]).transform(String),
  message_template_name: z.string().optional(),
  message_template_language: z.string().optional(),
  reason: z.string().nullish(),
});

function readTemplateStatus(r: Reader, value: unknown, path: string, entry: { id: string }) {
  const v = r.read(templateStatusValueSchema, value, path);
  if (!v) return;
  r.event(path, {
    kind: "template_status",
    wabaId: entry.id,
    metaId: v.message_template_id,
    name: blank(v.message_template_name),
    language: blank(v.message_template_language),
    status: v.event.toUpperCase(),
    reason: blank(v.reason ?? undefined),
  });
}

/**
 * Reads one verified webhook body into items, one per message, status, history chunk, address-book
 * change or lifecycle event, each with its path, so that one malformed part is reported alone and
 * its siblings are still applied (Meta batches several numbers and fields into one POST). Strings
 * are made storable first. Throws WebhookPayloadError only when the body is not a WhatsApp webhook.
 */
export function parseWebhookItems(body: unknown, options: { receivedAt: Date; isStorable?: boolean }): WebhookItem[] {
  const envelope = normaliseEnvelope(options.isStorable ? body : toStorable(body));
  if (!envelope) {
    const error = envelopeSchema.safeParse(body).error;
    throw new WebhookPayloadError(`not a WhatsApp webhook: ${error ? z.prettifyError(error) : "unknown shape"}`);
  }
  if (envelope.object !== "whatsapp_business_account") {
    throw new WebhookPayloadError(`unexpected object "${envelope.object}"`);
  }
  const r = new Reader();
  envelope.entry.forEach((entry, e) => {
    entry.changes.forEach((change, c) => {
      const path = `entry[${e}].changes[${c}]`;
      const read = changeReaders[change.field];
      if (change.field === "account_update") readAccountUpdate(r, change.value, `${path}.value`, entry, options.receivedAt);
      else if (change.field === "message_template_status_update") readTemplateStatus(r, change.value, `${path}.value`, entry);
      else if (read) read(r, change.value, `${path}.value`, options.receivedAt);
      else r.event(path, { kind: "ignored", field: change.field, reason: "field not handled" });
    });
  });
  return r.items;
}

/** The events of a body that must be readable whole (fixtures, tests); throws on the first unreadable part. */
export function parseWebhook(body: unknown, options = { receivedAt: new Date() }): WebhookEvent[] {
  return parseWebhookItems(body, options).map((item) => {
    if ("invalid" in item) throw new WebhookPayloadError(`${item.path}: ${item.invalid}`);
    return item.event;
  });
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
    if (entry.id) keys.add(storableText(entry.id));
    for (const change of entry.changes) {
      const id = (change.value as { metadata?: { phone_number_id?: unknown } } | null)?.metadata?.phone_number_id;
      if (typeof id === "string") keys.add(storableText(id));
    }
  }
  return [...keys];
}
