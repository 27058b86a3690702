import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { BodyTooLargeError, type Route, readJson, sendJson } from "./http";
import type { SandboxState } from "./state";
import type { Timers } from "./timers";
import { type BusinessNumber, buildStatusWebhook, createWamid, type Pricing, type WebhookSender } from "./webhooks";

/**
 * The slice of Meta's Graph API that Tandem calls, in Meta's wire format, errors included.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages
 */

export type GraphDeps = {
  number: BusinessNumber;
  accessToken: string;
  state: SandboxState;
  webhooks: WebhookSender;
  timers: Timers;
  statusDelayMs: number;
  now: () => Date;
  log: (line: string) => void;
};

const windowMs = 24 * 60 * 60 * 1000;
const messagesPath = /^\/v\d+\.\d+\/([^/]+)\/messages\/?$/;

const envelopeSchema = z.object({
  messaging_product: z.literal("whatsapp", { error: 'must be "whatsapp"' }),
});

const sendSchema = z.object({
  recipient_type: z.literal("individual", { error: 'must be "individual"' }).optional(),
  to: z
    .string({ error: "must be a string" })
    .refine((to) => /^\d{6,15}$/.test(toWaId(to)), "must be a phone number with 6 to 15 digits"),
  type: z.string().default("text"),
  context: z.object({ message_id: z.string().min(1, "must be a non-empty string") }).optional(),
});

const textSchema = z.object({
  text: z.object({
    body: z.string().min(1, "must be a non-empty string").max(4096, "must be at most 4096 characters long"),
    preview_url: z.boolean().optional(),
  }),
});

// Template definitions are not known to the sandbox yet, so only the envelope of the template is checked.
const templateSchema = z.object({
  template: z.looseObject({
    name: z.string().min(1, "must be a non-empty string"),
    language: z.looseObject({ code: z.string().min(1, "must be a non-empty string") }),
    components: z.array(z.looseObject({ type: z.string() })).optional(),
  }),
});

const markReadSchema = z.object({ status: z.literal("read"), message_id: z.string().min(1, "must be a non-empty string") });

type MetaError = { status: number; message: string; type: string; code: number; subcode?: number; details?: string };

class GraphError extends Error {
  constructor(readonly meta: MetaError) {
    super(meta.message);
  }
}

export function createGraphRoutes(deps: GraphDeps): Route {
  return async (req, res, url) => {
    const match = messagesPath.exec(url.pathname);
    if (!match || req.method !== "POST") return false;
    try {
      checkToken(req.headers.authorization, url.searchParams.get("access_token"), deps.accessToken);
      checkPhoneNumberId(decodePathSegment(match[1]!), deps.number.phoneNumberId);
      const body = await readGraphBody(req);
      parseOrThrow(envelopeSchema, body);
      if (isObject(body) && body.status === "read") markRead(deps, res, body);
      else sendJson(res, 200, acceptMessage(deps, body));
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      sendGraphError(res, error.meta);
    }
    return true;
  };
}

function checkToken(authorization: string | undefined, queryToken: string | null, expected: string) {
  const token = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]?.trim() ?? queryToken;
  if (token === expected) return;
  throw new GraphError({
    status: 401,
    message: "Invalid OAuth access token - Cannot parse access token",
    type: "OAuthException",
    code: 190,
  });
}

function checkPhoneNumberId(id: string, known: string) {
  if (id === known) return;
  throw new GraphError({
    status: 400,
    message: `Unsupported post request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    type: "GraphMethodException",
    code: 100,
    subcode: 33,
  });
}

async function readGraphBody(req: IncomingMessage): Promise<unknown> {
  try {
    const body = await readJson(req);
    if (body === undefined) throw invalidParameter("Request body must be a JSON object");
    return body;
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw invalidParameter(error.message);
    throw error;
  }
}

/** Validates a send, answers like Meta, and plays the message's life (statuses or a window failure) afterwards. */
function acceptMessage(deps: GraphDeps, body: unknown) {
  const send = parseOrThrow(sendSchema, body);
  const content = parseContent(send.type, body);
  const waId = toWaId(send.to);
  const wamid = createWamid();
  const at = deps.now();
  const isWindowOpen = isWithinWindow(deps.state.findLastCustomerMessageAt(waId), at);

  // Meta accepts a free-form message outside the window and reports 131047 only in a status webhook.
  if (content.type === "text" && !isWindowOpen) {
    deps.log(`send ${wamid} to ${waId} outside the 24-hour window: failing with 131047`);
    scheduleWindowFailure(deps, waId, wamid);
  } else {
    if (!deps.state.findCustomer(waId)) deps.state.upsertCustomer({ waId, name: `+${waId}` });
    deps.state.appendMessage(waId, {
      from: "business",
      wamid,
      type: content.type,
      text: content.text,
      timestamp: at.toISOString(),
      replyTo: send.context?.message_id ?? null,
      status: "accepted",
      template: content.type === "template" ? content.template : null,
    });
    scheduleStatuses(deps, waId, wamid, pricingFor(content.type, isWindowOpen));
  }

  return {
    messaging_product: "whatsapp",
    contacts: [{ input: send.to, wa_id: waId }],
    messages: [{ id: wamid }],
  };
}

function parseContent(type: string, body: unknown) {
  if (type === "text") return { type: "text" as const, text: parseOrThrow(textSchema, body).text.body };
  if (type === "template") {
    const { template } = parseOrThrow(templateSchema, body);
    return { type: "template" as const, text: describeTemplate(template), template };
  }
  throw new GraphError({
    status: 400,
    message: "(#131009) Parameter value is not valid",
    type: "OAuthException",
    code: 131009,
    details: `Param type "${type}" is not supported by the Tandem sandbox (text and template only).`,
  });
}

/** Without template definitions the phone can only show the name and the body parameters. */
function describeTemplate(template: z.infer<typeof templateSchema>["template"]): string {
  const body = template.components?.find((c) => c.type.toLowerCase() === "body");
  const parameters = z
    .array(z.looseObject({ text: z.string() }))
    .catch([])
    .parse(body?.parameters);
  const values = parameters.map((p) => p.text).join(", ");
  return `Template ${template.name}${values ? `: ${values}` : ""}`;
}

// Category is a guess until the sandbox knows templates; inside the window a template is free too.
function pricingFor(type: "text" | "template", isWindowOpen: boolean): Pricing {
  if (type === "text") return { billable: true, pricing_model: "PMP", type: "free_customer_service", category: "service" };
  return { billable: true, pricing_model: "PMP", type: isWindowOpen ? "free_customer_service" : "regular", category: "utility" };
}

/** sent, delivered, read at 1x, 2x, 3x the delay; pricing rides on sent and on delivered, as Meta sends it. */
function scheduleStatuses(deps: GraphDeps, waId: string, wamid: string, pricing: Pricing) {
  const steps = [
    { status: "sent", pricing },
    { status: "delivered", pricing },
    { status: "read", pricing: undefined },
  ] as const;
  // Each status waits for the previous one's first delivery attempt, so a healthy receiver sees them in order.
  let previous: Promise<unknown> = Promise.resolve();
  steps.forEach((step, index) => {
    deps.timers.later(deps.statusDelayMs * (index + 1), () => {
      deps.state.advanceBusinessStatus(waId, wamid, step.status);
      const update = { wamid, status: step.status, at: deps.now(), recipientId: waId, pricing: step.pricing };
      previous = previous.then(() => deps.webhooks.deliver(buildStatusWebhook(deps.number, update)));
    });
  });
}

function scheduleWindowFailure(deps: GraphDeps, waId: string, wamid: string) {
  deps.timers.later(deps.statusDelayMs, () => {
    const errors = [
      {
        code: 131047,
        title: "Re-engagement message",
        message: "Re-engagement message",
        error_data: {
          details:
            "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
        },
        href: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
      },
    ];
    const update = { wamid, status: "failed" as const, at: deps.now(), recipientId: waId, errors };
    void deps.webhooks.deliver(buildStatusWebhook(deps.number, update));
  });
}

function markRead(deps: GraphDeps, res: ServerResponse, body: unknown) {
  const { message_id } = parseOrThrow(markReadSchema, body);
  if (!deps.state.markReadByBusiness(message_id))
    throw invalidParameter(`Param message_id '${message_id}' is not a known message`);
  sendJson(res, 200, { success: true });
}

function isWithinWindow(lastCustomerMessageAt: Date | null, at: Date): boolean {
  return lastCustomerMessageAt !== null && at.getTime() - lastCustomerMessageAt.getTime() < windowMs;
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Meta answers `to` as given and the WhatsApp id as digits only. */
const toWaId = (to: string) => to.replace(/[\s+\-()]/g, "");

function parseOrThrow<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const param = toMetaParam(issue.path);
  if (valueAt(body, issue.path) === undefined && issue.path.length > 0) {
    throw new GraphError({
      status: 400,
      message: `(#100) The parameter ${param} is required.`,
      type: "OAuthException",
      code: 100,
      details: `The parameter ${param} is required.`,
    });
  }
  throw invalidParameter(issue.path.length > 0 ? `Param ${param} ${issue.message}.` : "Request body must be a JSON object");
}

function invalidParameter(details: string): GraphError {
  return new GraphError({ status: 400, message: "(#100) Invalid parameter", type: "OAuthException", code: 100, details });
}

/** Meta names nested parameters like `text['body']`. */
function toMetaParam(path: PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  return `${head ?? ""}${rest.map((key) => `['${key}']`).join("")}`;
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((current, key) => (isObject(current) ? current[key as string] : undefined), value);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

function sendGraphError(res: ServerResponse, error: MetaError) {
  sendJson(res, error.status, {
    error: {
      message: error.message,
      type: error.type,
      code: error.code,
      ...(error.subcode ? { error_subcode: error.subcode } : {}),
      ...(error.details ? { error_data: { messaging_product: "whatsapp", details: error.details } } : {}),
      fbtrace_id: randomBytes(12).toString("base64url"),
    },
  });
}
