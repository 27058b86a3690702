import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { type Route, readValidJson, sendError, sendJson, sendValidationError } from "./http";
import { type MediaStore, renderPhoto } from "./media";
import { renderPhonePage } from "./phone-page";
import { customerSchema, type SandboxState, type StateEvent, type ThreadMessage, waIdSchema } from "./state";
import { findQuickReply, sandboxTemplates } from "./templates";
import {
  type BusinessNumber,
  buildButtonReplyWebhook,
  buildChangeWebhook,
  buildCustomerImageWebhook,
  buildCustomerMessageWebhook,
  buildEchoWebhook,
  createWamid,
  type DeliveryAttempt,
  imageContent,
  type WebhookSender,
} from "./webhooks";

/**
 * The phone simulator: a page where a person or a Playwright test plays a customer on their phone and
 * the business in its WhatsApp Business app, and the small JSON API behind it. What the customer does
 * leaves as signed `messages` webhooks, what the business does in the app as `smb_message_echoes`, in
 * Meta's exact shapes. While the number is off the Cloud API (offboarded, disconnected, app uninstalled)
 * both phones keep working but no webhook reaches Tandem, as with Meta.
 */

export type PhoneDeps = {
  number: BusinessNumber;
  state: SandboxState;
  webhooks: WebhookSender;
  media: MediaStore;
  now: () => Date;
};

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;
type Side = "customer" | "business";

const windowMs = 24 * 60 * 60 * 1000;
// WhatsApp lets a sender edit for 15 minutes and delete for everyone for 2 days.
export const editWindowMs = 15 * 60 * 1000;
export const deleteWindowMs = 2 * 24 * 60 * 60 * 1000;
// Proxies drop idle streams; a comment line every 25 s keeps the event stream open.
const heartbeatMs = 25_000;

const waIdQuerySchema = z.object({ waId: waIdSchema });
const sideSchema = z.enum(["customer", "business"]);
const nonBlank = (max: number) =>
  z
    .string()
    .max(max)
    .refine((text) => text.trim().length > 0, "must not be empty");

const messageBodySchema = z.object({
  waId: waIdSchema,
  name: customerSchema.shape.name.optional(),
  text: nonBlank(4096),
  side: sideSchema.default("customer"),
  replyToWamid: z.string().min(1).optional(),
});

const photoBodySchema = z.object({
  waId: waIdSchema,
  name: customerSchema.shape.name.optional(),
  side: sideSchema.default("customer"),
  caption: z.string().max(1024).optional(),
  /** Picks the drawing; random when absent. */
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .optional(),
});

const buttonBodySchema = z.object({ waId: waIdSchema, wamid: z.string().min(1), index: z.number().int().min(0).max(9) });
const editBodySchema = z.object({ waId: waIdSchema, wamid: z.string().min(1), text: nonBlank(4096), side: sideSchema });
const deleteBodySchema = z.object({ waId: waIdSchema, wamid: z.string().min(1), side: sideSchema });

export function createPhoneRoutes(deps: PhoneDeps) {
  const streams = new Set<ServerResponse>();

  const routes: Record<string, Record<string, Handler>> = {
    "/": { GET: (_req, res) => redirect(res, "/phone") },
    "/phone": { GET: (_req, res) => servePage(deps, res) },
    "/phone/api/customers": {
      GET: (_req, res) => sendJson(res, 200, { customers: deps.state.listCustomers() }),
      POST: (req, res) => addCustomer(deps, req, res),
    },
    "/phone/api/messages": { POST: (req, res) => sendMessage(deps, req, res) },
    "/phone/api/messages/photo": { POST: (req, res) => sendPhoto(deps, req, res) },
    "/phone/api/messages/button": { POST: (req, res) => tapButton(deps, req, res) },
    "/phone/api/messages/edit": { POST: (req, res) => editMessage(deps, req, res) },
    "/phone/api/messages/delete": { POST: (req, res) => deleteMessage(deps, req, res) },
    "/phone/api/thread": { GET: (_req, res, url) => getThread(deps, res, url) },
    "/phone/api/events": { GET: (req, res, url) => streamEvents(deps, streams, req, res, url) },
  };

  const route: Route = async (req, res, url) => {
    const path = url.pathname.replace(/(.)\/$/, "$1");
    const media = /^\/phone\/(media|photo-preview)\/([\w.-]+)$/.exec(path);
    if (media && req.method === "GET") {
      serveImage(deps, res, media[1] as "media" | "photo-preview", media[2]!);
      return true;
    }
    const methods = routes[path];
    if (!methods) return false;
    const handler = methods[req.method ?? "GET"];
    if (!handler) {
      res.setHeader("allow", Object.keys(methods).join(", "));
      sendError(res, 405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${url.pathname}`);
      return true;
    }
    await handler(req, res, url);
    return true;
  };

  return {
    route,
    /** Ends open event streams so the server can close. */
    closeStreams(): void {
      for (const stream of streams) stream.end();
      streams.clear();
    },
  };
}

function redirect(res: ServerResponse, location: string) {
  res.writeHead(302, { location });
  res.end();
}

function servePage(deps: PhoneDeps, res: ServerResponse) {
  const html = renderPhonePage({ businessName: deps.number.verifiedName, displayPhoneNumber: deps.number.displayPhoneNumber });
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(html);
}

/** Images for the page itself (no token): sent media by id, or the preview of a seed before sending. */
function serveImage(deps: PhoneDeps, res: ServerResponse, kind: "media" | "photo-preview", key: string) {
  let bytes: Buffer | null = null;
  let type = "image/png";
  if (kind === "media") {
    const file = deps.media.get(key);
    bytes = file?.bytes ?? null;
    type = file?.mimeType ?? type;
  } else if (/^\d{1,10}\.png$/.test(key) && Number.parseInt(key, 10) <= 2 ** 31) bytes = renderPhoto(Number.parseInt(key, 10));
  if (!bytes) return sendError(res, 404, "NOT_FOUND", `No image ${key}`);
  res.writeHead(200, { "content-type": type, "content-length": bytes.length, "cache-control": "max-age=3600" });
  res.end(bytes);
}

async function addCustomer(deps: PhoneDeps, req: IncomingMessage, res: ServerResponse) {
  const input = await readValidJson(req, res, customerSchema);
  if (!input) return;
  const { customer, isCreated } = deps.state.upsertCustomer(input);
  sendJson(res, isCreated ? 201 : 200, { customer });
}

/**
 * The customer's profile name: given, known, or (for the business writing first to a new number) the
 * number itself. Null when a customer the sandbox does not know writes without a name.
 */
function resolveName(deps: PhoneDeps, input: { waId: string; name?: string; side: Side }): string | null {
  const name = input.name ?? deps.state.findCustomer(input.waId)?.name ?? (input.side === "business" ? `+${input.waId}` : null);
  if (name) deps.state.upsertCustomer({ waId: input.waId, name });
  return name;
}

const isConnected = (deps: PhoneDeps) => deps.state.getNumber().account.status === "connected";

type Delivery = DeliveryAttempt & { suppressed: boolean };

/** Delivers the webhook of a phone-sent message and records on the message whether Tandem acknowledged it. */
async function deliverTracked(deps: PhoneDeps, waId: string, wamid: string, payload: unknown): Promise<Delivery> {
  if (!isConnected(deps)) {
    deps.state.recordWebhookOutcome(waId, wamid, "suppressed", null);
    return { delivered: false, status: null, suppressed: true };
  }
  let isSettled = false;
  const first = await deps.webhooks.deliver(payload, (final) => {
    isSettled = true;
    deps.state.recordWebhookOutcome(waId, wamid, final.delivered ? "acknowledged" : "failed", final.status);
  });
  if (!isSettled) deps.state.recordWebhookOutcome(waId, wamid, "retrying", first.status);
  return { ...first, suppressed: false };
}

async function deliverUntracked(deps: PhoneDeps, payload: unknown): Promise<Delivery> {
  if (!isConnected(deps)) return { delivered: false, status: null, suppressed: true };
  return { ...(await deps.webhooks.deliver(payload)), suppressed: false };
}

function newMessage(
  side: Side,
  fields: { wamid: string; type: "text" | "image"; text: string; at: Date; replyTo: string | null; mediaId: string | null },
): ThreadMessage {
  const common = {
    wamid: fields.wamid,
    type: fields.type,
    text: fields.text,
    timestamp: fields.at.toISOString(),
    replyTo: fields.replyTo,
    webhookHttpStatus: null,
    mediaId: fields.mediaId,
    editedAt: null,
    revokedAt: null,
    businessReaction: null,
  };
  if (side === "customer") return { ...common, from: "customer", webhook: "pending", isReadByBusiness: false };
  // The customer's phone has it at once; the app shows the echo's delivery to Tandem instead of ticks.
  return {
    ...common,
    from: "business",
    origin: "app",
    status: "delivered",
    template: null,
    quickReplies: [],
    webhook: "pending",
  };
}

function answerSent(deps: PhoneDeps, res: ServerResponse, waId: string, wamid: string, delivery: Delivery, extra = {}) {
  const message = deps.state.findMessage(waId, wamid);
  sendJson(res, 200, {
    wamid,
    ...extra,
    delivered: delivery.delivered,
    status: delivery.status,
    suppressed: delivery.suppressed,
    message,
  });
}

/** A text from the customer (opens the 24-hour window) or from the business app (an echo, which does not). */
async function sendMessage(deps: PhoneDeps, req: IncomingMessage, res: ServerResponse) {
  const input = await readValidJson(req, res, messageBodySchema);
  if (!input) return;
  const name = resolveName(deps, input);
  if (!name) return sendError(res, 400, "VALIDATION", "name: required for a customer the sandbox does not know yet");

  const wamid = createWamid();
  const at = deps.now();
  const replyTo = input.replyToWamid ?? null;
  deps.state.appendMessage(
    input.waId,
    newMessage(input.side, { wamid, type: "text", text: input.text, at, replyTo, mediaId: null }),
  );
  const webhook =
    input.side === "customer"
      ? buildCustomerMessageWebhook(deps.number, { waId: input.waId, name, wamid, at, text: input.text, replyToWamid: replyTo })
      : buildEchoWebhook(deps.number, { wamid, to: input.waId, at, type: "text", content: { body: input.text } });
  answerSent(deps, res, input.waId, wamid, await deliverTracked(deps, input.waId, wamid, webhook));
}

/** A photo (a PNG drawn from a seed) with an optional caption, from either side. */
async function sendPhoto(deps: PhoneDeps, req: IncomingMessage, res: ServerResponse) {
  const input = await readValidJson(req, res, photoBodySchema);
  if (!input) return;
  const name = resolveName(deps, input);
  if (!name) return sendError(res, 400, "VALIDATION", "name: required for a customer the sandbox does not know yet");

  const file = deps.media.create(input.seed);
  const caption = input.caption?.trim() ? input.caption : null;
  const wamid = createWamid();
  const at = deps.now();
  deps.state.appendMessage(
    input.waId,
    newMessage(input.side, { wamid, type: "image", text: caption ?? "", at, replyTo: null, mediaId: file.id }),
  );
  const image = imageContent(file, caption);
  const webhook =
    input.side === "customer"
      ? buildCustomerImageWebhook(deps.number, { waId: input.waId, name, wamid, at, image })
      : buildEchoWebhook(deps.number, { wamid, to: input.waId, at, type: "image", content: image });
  const delivery = await deliverTracked(deps, input.waId, wamid, webhook);
  answerSent(deps, res, input.waId, wamid, delivery, { mediaId: file.id, sha256: file.sha256Base64 });
}

/** The customer taps a quick-reply button of a template Tandem sent: a `button` message quoting it. */
async function tapButton(deps: PhoneDeps, req: IncomingMessage, res: ServerResponse) {
  const input = await readValidJson(req, res, buttonBodySchema);
  if (!input) return;
  const template = deps.state.findMessage(input.waId, input.wamid);
  if (template?.from !== "business" || template.type !== "template")
    return sendError(res, 404, "NOT_FOUND", `No template ${input.wamid} in the thread of ${input.waId}`);
  const button = findQuickReply(sandboxTemplates, template.template, input.index);
  if (!button) return sendError(res, 404, "NOT_FOUND", `The template has no quick-reply button ${input.index}`);
  const name = deps.state.findCustomer(input.waId)?.name ?? `+${input.waId}`;
  const wamid = createWamid();
  const at = deps.now();
  deps.state.appendMessage(
    input.waId,
    newMessage("customer", { wamid, type: "text", text: button.text, at, replyTo: input.wamid, mediaId: null }),
  );
  const webhook = buildButtonReplyWebhook(deps.number, {
    waId: input.waId,
    name,
    wamid,
    at,
    templateWamid: input.wamid,
    ...button,
  });
  answerSent(deps, res, input.waId, wamid, await deliverTracked(deps, input.waId, wamid, webhook), { payload: button.payload });
}

/** The message `side` may change: its own, still there, and (business) sent in the app, not through the API. */
function findOwnMessage(deps: PhoneDeps, res: ServerResponse, input: { waId: string; wamid: string; side: Side }) {
  const message = deps.state.findMessage(input.waId, input.wamid);
  if (!message) {
    sendError(res, 404, "NOT_FOUND", `No message ${input.wamid} in the thread of ${input.waId}`);
    return null;
  }
  if (message.from !== input.side) {
    sendError(res, 403, "NOT_OWN_MESSAGE", `Only the ${message.from} who sent this message can change it`);
    return null;
  }
  if (message.from === "business" && message.origin !== "app") {
    sendError(res, 403, "NOT_OWN_MESSAGE", "Messages Tandem sent through the API cannot be changed from the Business app here");
    return null;
  }
  if (message.revokedAt) {
    sendError(res, 409, "MESSAGE_DELETED", "This message was deleted");
    return null;
  }
  return message;
}

/** Customer edits leave as `messages` type edit, business app edits as `smb_message_echoes` type edit. */
async function editMessage(deps: PhoneDeps, req: IncomingMessage, res: ServerResponse) {
  const input = await readValidJson(req, res, editBodySchema);
  if (!input) return;
  const original = findOwnMessage(deps, res, input);
  if (!original) return;
  const at = deps.now();
  if (at.getTime() - new Date(original.timestamp).getTime() > editWindowMs) {
    return sendError(res, 409, "EDIT_WINDOW_PASSED", "WhatsApp allows edits only within 15 minutes of sending");
  }
  const file = original.mediaId ? deps.media.get(original.mediaId) : null;
  const edit =
    original.type === "image" && file
      ? { type: "image" as const, content: imageContent(file, input.text) }
      : { type: "text" as const, content: { body: input.text } };

  deps.state.editMessage(input.waId, input.wamid, input.text, at);
  await sendChange(deps, res, input, at, edit);
}

/** "Delete for everyone": a revoke, as `messages` (customer) or `smb_message_echoes` (business app). */
async function deleteMessage(deps: PhoneDeps, req: IncomingMessage, res: ServerResponse) {
  const input = await readValidJson(req, res, deleteBodySchema);
  if (!input) return;
  const original = findOwnMessage(deps, res, input);
  if (!original) return;
  const at = deps.now();
  if (at.getTime() - new Date(original.timestamp).getTime() > deleteWindowMs) {
    return sendError(res, 409, "DELETE_WINDOW_PASSED", "WhatsApp allows deleting for everyone only within 2 days of sending");
  }

  deps.state.revokeMessage(input.waId, input.wamid, at);
  await sendChange(deps, res, input, at);
}

/** Delivers an edit (with `edit`) or a revoke of `input.wamid` as its own signed webhook, and answers. */
async function sendChange(
  deps: PhoneDeps,
  res: ServerResponse,
  input: { waId: string; wamid: string; side: "customer" | "business" },
  at: Date,
  edit?: Parameters<typeof buildChangeWebhook>[1]["edit"],
) {
  const wamid = createWamid();
  const name = deps.state.findCustomer(input.waId)?.name ?? `+${input.waId}`;
  const webhook = buildChangeWebhook(deps.number, {
    side: input.side,
    waId: input.waId,
    name,
    wamid,
    originalWamid: input.wamid,
    at,
    edit,
  });
  const delivery = await deliverUntracked(deps, webhook);
  sendJson(res, 200, {
    wamid,
    originalWamid: input.wamid,
    ...delivery,
    message: deps.state.findMessage(input.waId, input.wamid),
  });
}

function getThread(deps: PhoneDeps, res: ServerResponse, url: URL) {
  const parsed = waIdQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) return sendValidationError(res, parsed.error);
  const { waId } = parsed.data;
  const lastAt = deps.state.findLastCustomerMessageAt(waId);
  const closesAt = lastAt ? new Date(lastAt.getTime() + windowMs) : null;
  sendJson(res, 200, {
    waId,
    name: deps.state.findCustomer(waId)?.name ?? null,
    windowOpenUntil: closesAt && closesAt > deps.now() ? closesAt.toISOString() : null,
    account: deps.state.getNumber().account,
    messages: deps.state.listThread(waId),
  });
}

/**
 * Server-Sent Events: `message` for every new or changed message of this customer, `customers` when the
 * list changes, `number` when the number's account or sync state changes.
 */
function streamEvents(deps: PhoneDeps, streams: Set<ServerResponse>, req: IncomingMessage, res: ServerResponse, url: URL) {
  const parsed = waIdQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) return sendValidationError(res, parsed.error);
  const { waId } = parsed.data;

  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
  });
  res.write("retry: 2000\n\n");
  const write = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const unsubscribe = deps.state.subscribe((event: StateEvent) => {
    if (event.kind === "message" && event.waId === waId) write("message", event.message);
    if (event.kind === "customers") write("customers", { customers: event.customers });
    if (event.kind === "number") write("number", { account: event.number.account });
  });
  const heartbeat = setInterval(() => res.write(": ping\n\n"), heartbeatMs);
  streams.add(res);
  req.on("close", () => {
    clearInterval(heartbeat);
    unsubscribe();
    streams.delete(res);
  });
}
