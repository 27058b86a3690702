import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { type Route, readValidJson, sendError, sendJson, sendValidationError } from "./http";
import { renderPhonePage } from "./phone-page";
import { customerSchema, type SandboxState, type StateEvent, waIdSchema } from "./state";
import { type BusinessNumber, buildCustomerMessageWebhook, createWamid, type WebhookSender } from "./webhooks";

/**
 * The phone simulator: a page where a person or a Playwright test plays a customer, and the small
 * JSON API behind it. Customer messages leave as signed `messages` webhooks, exactly as Meta sends them.
 */

export type PhoneDeps = {
  number: BusinessNumber;
  state: SandboxState;
  webhooks: WebhookSender;
  now: () => Date;
};

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

const windowMs = 24 * 60 * 60 * 1000;
// Proxies drop idle streams; a comment line every 25 s keeps the event stream open.
const heartbeatMs = 25_000;

const waIdQuerySchema = z.object({ waId: waIdSchema });

const customerMessageBodySchema = z.object({
  waId: waIdSchema,
  name: customerSchema.shape.name.optional(),
  text: z
    .string()
    .max(4096)
    .refine((text) => text.trim().length > 0, "must not be empty"),
  replyToWamid: z.string().min(1).optional(),
});

export function createPhoneRoutes(deps: PhoneDeps) {
  const streams = new Set<ServerResponse>();

  const routes: Record<string, Record<string, Handler>> = {
    "/": { GET: (_req, res) => redirect(res, "/phone") },
    "/phone": { GET: (_req, res) => servePage(deps, res) },
    "/phone/api/customers": {
      GET: (_req, res) => sendJson(res, 200, { customers: deps.state.listCustomers() }),
      POST: (req, res) => addCustomer(deps, req, res),
    },
    "/phone/api/messages": { POST: (req, res) => sendCustomerMessage(deps, req, res) },
    "/phone/api/thread": { GET: (_req, res, url) => getThread(deps, res, url) },
    "/phone/api/events": { GET: (req, res, url) => streamEvents(deps, streams, req, res, url) },
  };

  const route: Route = async (req, res, url) => {
    const methods = routes[url.pathname.replace(/(.)\/$/, "$1")];
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

async function addCustomer(deps: PhoneDeps, req: IncomingMessage, res: ServerResponse) {
  const input = await readValidJson(req, res, customerSchema);
  if (!input) return;
  const { customer, isCreated } = deps.state.upsertCustomer(input);
  sendJson(res, isCreated ? 201 : 200, { customer });
}

/** Records the customer's message (which opens the 24-hour window) and delivers it to Tandem. */
async function sendCustomerMessage(deps: PhoneDeps, req: IncomingMessage, res: ServerResponse) {
  const input = await readValidJson(req, res, customerMessageBodySchema);
  if (!input) return;
  const name = input.name ?? deps.state.findCustomer(input.waId)?.name;
  if (!name) return sendError(res, 400, "VALIDATION", "name: required for a customer the sandbox does not know yet");
  deps.state.upsertCustomer({ waId: input.waId, name });

  const wamid = createWamid();
  const at = deps.now();
  deps.state.appendMessage(input.waId, {
    from: "customer",
    wamid,
    type: "text",
    text: input.text,
    timestamp: at.toISOString(),
    replyTo: input.replyToWamid ?? null,
    webhook: "pending",
    webhookHttpStatus: null,
    isReadByBusiness: false,
  });

  const webhook = buildCustomerMessageWebhook(deps.number, { ...input, name, wamid, at });
  let isSettled = false;
  const first = await deps.webhooks.deliver(webhook, (final) => {
    isSettled = true;
    deps.state.recordWebhookOutcome(input.waId, wamid, final.delivered ? "acknowledged" : "failed", final.status);
  });
  if (!isSettled) deps.state.recordWebhookOutcome(input.waId, wamid, "retrying", first.status);

  const message = deps.state.listThread(input.waId).find((m) => m.wamid === wamid);
  sendJson(res, 200, { wamid, delivered: first.delivered, status: first.status, message });
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
    messages: deps.state.listThread(waId),
  });
}

/** Server-Sent Events: `message` for every new or changed message of this customer, `customers` when the list changes. */
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
  });
  const heartbeat = setInterval(() => res.write(": ping\n\n"), heartbeatMs);
  streams.add(res);
  req.on("close", () => {
    clearInterval(heartbeat);
    unsubscribe();
    streams.delete(res);
  });
}
