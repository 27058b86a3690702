import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { z } from "zod";
import {
  bearerToken,
  checkConnected,
  checkPhoneNumberId,
  checkToken,
  decodePathSegment,
  GraphError,
  invalidParameter,
  isObject,
  parseOrThrow,
  readGraphBody,
  sendGraphError,
  syncRefusal,
  unknownObject,
} from "./graph-errors";
import type { Route } from "./http";
import { sendJson } from "./http";
import type { MediaStore } from "./media";
import type { SendLimits } from "./send-limits";
import type { AccountStatus, SandboxState } from "./state";
import type { SyncRunner } from "./sync";
import { checkTemplateSend, listQuickReplies, listTemplatesPage, sandboxTemplates } from "./templates";
import type { Timers } from "./timers";
import { type BusinessNumber, buildStatusWebhook, createWamid, type Pricing, type WebhookSender } from "./webhooks";

/**
 * The slice of Meta's Graph API that Tandem calls, in Meta's wire format, errors included: sends and
 * mark-as-read, the onboarding sync request, and media download.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages
 */

export type GraphDeps = {
  number: BusinessNumber;
  accessToken: string;
  /** Account status of a popup-connected number holding this token, so its media can be fetched too. */
  extraTokenAccount?: (token: string | null) => AccountStatus | null;
  state: SandboxState;
  webhooks: WebhookSender;
  timers: Timers;
  media: MediaStore;
  sync: SyncRunner;
  statusDelayMs: number;
  limits: SendLimits;
  now: () => Date;
  log: (line: string) => void;
};

const windowMs = 24 * 60 * 60 * 1000;
const messagesPath = /^\/v\d+\.\d+\/([^/]+)\/messages\/?$/;
const mediaUploadPath = /^\/v\d+\.\d+\/([^/]+)\/media\/?$/;
const smbAppDataPath = /^\/v\d+\.\d+\/([^/]+)\/smb_app_data\/?$/;
const templatesPath = /^\/v\d+\.\d+\/([^/]+)\/message_templates\/?$/;
const objectPath = /^\/v\d+\.\d+\/([^/]+)\/?$/;
const downloadPath = /^\/media-download\/([^/]+)$/;

const envelopeSchema = z.object({
  messaging_product: z.literal("whatsapp", { error: 'must be "whatsapp"' }),
});

const sendSchema = z.object({
  recipient_type: z.literal("individual", { error: 'must be "individual"' }).optional(),
  to: z
    .string({ error: "must be a string" })
    .refine((to) => /^\d{6,15}$/.test(toWaId(to)), "must be a phone number with 6 to 15 digits")
    .optional(),
  // A business-scoped user id; Meta uses `to` when both are present.
  recipient: z.string().min(1).max(256).optional(),
  type: z.string().default("text"),
  context: z.object({ message_id: z.string().min(1, "must be a non-empty string") }).optional(),
  biz_opaque_callback_data: z.string().max(512, "must be at most 512 characters long").optional(),
});

const textSchema = z.object({
  text: z.object({
    body: z.string().min(1, "must be a non-empty string").max(4096, "must be at most 4096 characters long"),
    preview_url: z.boolean().optional(),
  }),
});

// The envelope of a template; its parameters are checked against the sandbox's definitions.
const templateSchema = z.object({
  template: z.looseObject({
    name: z.string().min(1, "must be a non-empty string"),
    language: z.looseObject({ code: z.string().min(1, "must be a non-empty string") }),
    components: z.array(z.looseObject({ type: z.string() })).optional(),
  }),
});

// Meta: an empty emoji removes the reaction.
const reactionSchema = z.object({
  reaction: z.object({ message_id: z.string().min(1, "must be a non-empty string"), emoji: z.string().max(16) }),
});

const mediaObject = z.object({
  id: z.string().min(1, "must be a non-empty string"),
  caption: z.string().max(1024, "must be at most 1024 characters long").optional(),
  filename: z.string().max(240).optional(),
});
const imageSchema = z.object({ image: mediaObject });
const documentSchema = z.object({ document: mediaObject });

// Meta's upload limits by type; larger or other files are refused with 131053 or 100.
const uploadLimits: Record<string, number> = {
  "image/jpeg": 5 * 1024 * 1024,
  "image/png": 5 * 1024 * 1024,
  "application/pdf": 100 * 1024 * 1024,
  "text/plain": 100 * 1024 * 1024,
};

/** `POST /{phone_number_id}/media`, multipart: messaging_product, type and file; answers the new media id. */
async function acceptUpload(deps: GraphDeps, req: IncomingMessage) {
  const request = new Request("http://sandbox.invalid/", {
    method: "POST",
    headers: req.headers as Record<string, string>,
    body: Readable.toWeb(req) as ReadableStream,
    duplex: "half",
  } as RequestInit);
  const form = await request.formData().catch(() => null);
  if (!form) throw invalidParameter("Request body must be multipart/form-data");
  if (form.get("messaging_product") !== "whatsapp") throw invalidParameter('Param messaging_product must be "whatsapp".');
  const file = form.get("file");
  if (!(file instanceof File)) throw invalidParameter("Param file is required.");
  const type = String(form.get("type") ?? file.type);
  const max = uploadLimits[type];
  if (max === undefined) throw invalidParameter(`Param type "${type}" is not a supported media type.`);
  if (file.size > max)
    throw new GraphError({
      status: 400,
      message: "(#131053) Media upload error",
      type: "OAuthException",
      code: 131053,
      details: `The file is larger than the ${max / 1024 / 1024} MB allowed for ${type}.`,
    });
  const stored = deps.media.upload(Buffer.from(await file.arrayBuffer()), type, file.name);
  deps.log(`media ${stored.id} uploaded (${type}, ${stored.size} bytes)`);
  return { id: stored.id };
}

const markReadSchema = z.object({ status: z.literal("read"), message_id: z.string().min(1, "must be a non-empty string") });

const smbAppDataSchema = z.object({
  sync_type: z.enum(["smb_app_state_sync", "history"], { error: "must be one of {smb_app_state_sync, history}" }),
});

export function createGraphRoutes(deps: GraphDeps): Route {
  return async (req, res, url) => {
    try {
      return await route(deps, req, res, url);
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      sendGraphError(res, error.meta);
      return true;
    }
  };
}

async function route(deps: GraphDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const account = () => deps.state.getNumber().account.status;
  const messages = messagesPath.exec(url.pathname);
  if (messages && req.method === "POST") {
    checkToken(req, url, deps.accessToken, account());
    checkPhoneNumberId(decodePathSegment(messages[1]!), deps.number.phoneNumberId);
    checkConnected(account());
    const body = await readGraphBody(req);
    parseOrThrow(envelopeSchema, body);
    if (isObject(body) && body.status === "read") markRead(deps, res, body);
    else {
      const { answer, holdMs } = acceptMessage(deps, body);
      // The message is accepted either way; a held answer plays a lost response (unknown outcome).
      if (holdMs > 0) await new Promise<void>((resolve) => deps.timers.later(holdMs, resolve));
      sendJson(res, 200, answer);
    }
    return true;
  }

  const upload = mediaUploadPath.exec(url.pathname);
  if (upload && req.method === "POST") {
    checkToken(req, url, deps.accessToken, account());
    checkPhoneNumberId(decodePathSegment(upload[1]!), deps.number.phoneNumberId);
    checkConnected(account());
    sendJson(res, 200, await acceptUpload(deps, req));
    return true;
  }

  const smbAppData = smbAppDataPath.exec(url.pathname);
  if (smbAppData && req.method === "POST") {
    checkToken(req, url, deps.accessToken, account());
    checkPhoneNumberId(decodePathSegment(smbAppData[1]!), deps.number.phoneNumberId);
    checkConnected(account());
    const body = await readGraphBody(req);
    parseOrThrow(envelopeSchema, body);
    requestSync(deps, res, parseOrThrow(smbAppDataSchema, body).sync_type);
    return true;
  }

  const templatesList = templatesPath.exec(url.pathname);
  if (templatesList && req.method === "GET") {
    checkToken(req, url, deps.accessToken, account());
    const wabaId = decodePathSegment(templatesList[1]!);
    if (wabaId !== deps.number.wabaId) throw unknownObject("get", wabaId);
    sendJson(res, 200, listTemplatesPage(sandboxTemplates, url.searchParams, `${baseUrlOf(req)}${url.pathname}${url.search}`));
    return true;
  }

  // Media belongs to whichever number's token asks, as any business token of the app works at Meta.
  const mediaToken = () => {
    const token = bearerToken(req, url);
    const extra = deps.extraTokenAccount?.(token) ?? null;
    if (extra && token) checkToken(req, url, token, extra);
    else checkToken(req, url, deps.accessToken, account());
  };
  const object = objectPath.exec(url.pathname);
  if (object && req.method === "GET") {
    mediaToken();
    serveMediaInfo(deps, req, res, decodePathSegment(object[1]!));
    return true;
  }

  const download = downloadPath.exec(url.pathname);
  if (download && req.method === "GET") {
    mediaToken();
    serveMediaBytes(deps, res, download[1]!);
    return true;
  }
  return false;
}

/** `POST /{phone_number_id}/smb_app_data`: each sync_type once per onboarding, within 24 hours of it. */
function requestSync(deps: GraphDeps, res: ServerResponse, syncType: "smb_app_state_sync" | "history") {
  const result = deps.sync.request(syncType === "history" ? "history" : "contacts", "graph");
  if ("refused" in result) throw syncRefusal(result.refused, deps.state.getNumber().account.status);
  sendJson(res, 200, { messaging_product: "whatsapp", request_id: result.requestId });
}

/** `GET /{media_id}`: a fresh download URL (5 minutes) and the file's metadata, sha256 in hex. */
function serveMediaInfo(deps: GraphDeps, req: IncomingMessage, res: ServerResponse, id: string) {
  const fault = deps.media.takeFault("info");
  if (fault) throw new GraphError({ status: fault, code: 2, message: "Service temporarily unavailable", type: "OAuthException" });
  const file = deps.media.get(id);
  if (!file) throw unknownObject("get", id);
  sendJson(res, 200, {
    messaging_product: "whatsapp",
    url: `${baseUrlOf(req)}${deps.media.downloadPath(file.id)}`,
    mime_type: file.mimeType,
    sha256: file.sha256Hex,
    file_size: file.size,
    id: file.id,
  });
}

/** The download URL itself: bearer token required, 404 once expired (callers fetch a fresh URL). */
function serveMediaBytes(deps: GraphDeps, res: ServerResponse, opaque: string) {
  const id = deps.media.resolveDownload(opaque);
  const file = id ? deps.media.get(id) : null;
  const fault = file ? deps.media.takeFault("download") : null;
  if (!file || fault) {
    res.writeHead(fault ?? 404, { "content-type": "text/plain; charset=utf-8" });
    res.end("Media URL expired or unknown: request a fresh one from GET /{media-id}");
    return;
  }
  res.writeHead(200, { "content-type": file.mimeType, "content-length": file.size, "cache-control": "private, no-store" });
  res.end(file.bytes);
}

/** The sandbox's own origin as the caller reached it, so download URLs work from wherever Tandem runs. */
function baseUrlOf(req: IncomingMessage): string {
  return `http://${req.headers.host ?? "127.0.0.1"}`;
}

/** Validates a send, answers like Meta, and plays the message's life (statuses or a window failure) afterwards. */
function acceptMessage(deps: GraphDeps, body: unknown) {
  const send = parseOrThrow(sendSchema, body);
  if (!send.to && !send.recipient)
    throw new GraphError({
      status: 400,
      message: "(#100) The parameter to is required.",
      type: "OAuthException",
      code: 100,
      details: "The parameter to is required.",
    });
  const content = parseContent(deps, send.type, body);
  const waId = send.to ? toWaId(send.to) : null;
  const target = waId ?? send.recipient!;
  if (content.reaction && waId && !deps.state.findMessage(waId, content.reaction.messageId))
    throw invalidParameter(`Param reaction['message_id'] is not a message of ${waId}`);
  const { holdMs, at: admittedAt } = deps.limits.admit(target);
  const wamid = createWamid();
  const at = deps.now();
  const isWindowOpen = waId ? isWithinWindow(deps.state.findLastCustomerMessageAt(waId), at) : false;
  const life = { wamid, waId, userId: waId ? undefined : send.recipient, callbackData: send.biz_opaque_callback_data };
  deps.limits.recordAccepted(target, admittedAt, wamid);

  // Meta accepts a free-form message outside the window and reports 131047 only in a status webhook.
  if (content.type !== "template" && !isWindowOpen) {
    deps.log(`send ${wamid} to ${target} outside the 24-hour window: failing with 131047`);
    scheduleWindowFailure(deps, life);
  } else if (content.type === "reaction") {
    if (waId && content.reaction) deps.state.reactToMessage(waId, content.reaction.messageId, content.reaction.emoji);
    // Meta: "Reactions you send only ever produce sent."
    scheduleStatuses(deps, life, pricingFor(content.type, isWindowOpen), ["sent"]);
  } else if (waId) {
    if (!deps.state.findCustomer(waId)) deps.state.upsertCustomer({ waId, name: `+${waId}` });
    deps.state.appendMessage(waId, {
      from: "business",
      wamid,
      type: content.type,
      text: content.text,
      timestamp: at.toISOString(),
      replyTo: send.context?.message_id ?? null,
      status: "accepted",
      template: content.template,
      quickReplies: content.template ? listQuickReplies(sandboxTemplates, content.template) : [],
      origin: "api",
      webhook: null,
      webhookHttpStatus: null,
      mediaId: content.mediaId,
      editedAt: null,
      revokedAt: null,
      businessReaction: null,
    });
    scheduleStatuses(deps, life, pricingFor(content.type, isWindowOpen));
  } else {
    scheduleStatuses(deps, life, pricingFor(content.type, isWindowOpen));
  }

  const answer = {
    messaging_product: "whatsapp",
    contacts: [send.to ? { input: send.to, wa_id: waId } : { input: send.recipient, user_id: send.recipient }],
    messages: [{ id: wamid }],
  };
  return { answer, holdMs };
}

/** Who a status webhook is about, and the tag to echo. */
type MessageLife = { wamid: string; waId: string | null; userId?: string; callbackData?: string };

type SentContent = {
  type: "text" | "template" | "image" | "document" | "reaction";
  text: string;
  template: Record<string, unknown> | null;
  mediaId: string | null;
  reaction?: { messageId: string; emoji: string };
};

function parseContent(deps: GraphDeps, type: string, body: unknown): SentContent {
  if (type === "text") return { type: "text", text: parseOrThrow(textSchema, body).text.body, template: null, mediaId: null };
  if (type === "image" || type === "document") {
    const { id, caption } =
      type === "image" ? parseOrThrow(imageSchema, body).image : parseOrThrow(documentSchema, body).document;
    const file = deps.media.get(id);
    if (!file) throw invalidParameter(`Param ${type}['id'] is not a valid uploaded media id`);
    return { type, text: caption ?? "", template: null, mediaId: file.id };
  }
  if (type === "reaction") {
    const { reaction } = parseOrThrow(reactionSchema, body);
    return { type, text: "", template: null, mediaId: null, reaction: { messageId: reaction.message_id, emoji: reaction.emoji } };
  }
  if (type === "template") {
    const { template } = parseOrThrow(templateSchema, body);
    return { type: "template", text: checkTemplateSend(sandboxTemplates, template), template, mediaId: null };
  }
  throw new GraphError({
    status: 400,
    message: "(#131009) Parameter value is not valid",
    type: "OAuthException",
    code: 131009,
    details: `Param type "${type}" is not supported by the Tandem sandbox (text, image, document, template and reaction only).`,
  });
}

// Category is a guess until the sandbox knows templates; inside the window a template is free too.
function pricingFor(type: string, isWindowOpen: boolean): Pricing {
  if (type !== "template") return { billable: true, pricing_model: "PMP", type: "free_customer_service", category: "service" };
  return { billable: true, pricing_model: "PMP", type: isWindowOpen ? "free_customer_service" : "regular", category: "utility" };
}

/** sent, delivered, read (or only some of them) at 1x, 2x, 3x the delay; pricing rides on sent and on delivered, as Meta sends it. */
function scheduleStatuses(
  deps: GraphDeps,
  life: MessageLife,
  pricing: Pricing,
  only: readonly ("sent" | "delivered" | "read")[] = ["sent", "delivered", "read"],
) {
  const steps = (
    [
      { status: "sent", pricing },
      { status: "delivered", pricing },
      { status: "read", pricing: undefined },
    ] as const
  ).filter((step) => only.includes(step.status));
  // Each status waits for the previous one's first delivery attempt, so a healthy receiver sees them in order.
  let previous: Promise<unknown> = Promise.resolve();
  steps.forEach((step, index) => {
    deps.timers.later(deps.statusDelayMs * (index + 1), () => {
      if (life.waId) deps.state.advanceBusinessStatus(life.waId, life.wamid, step.status);
      const update = { ...statusTarget(life), status: step.status, at: deps.now(), pricing: step.pricing };
      previous = previous.then(() => deps.webhooks.deliver(buildStatusWebhook(deps.number, update)));
    });
  });
}

function statusTarget(life: MessageLife) {
  return {
    wamid: life.wamid,
    recipientId: life.waId ?? "",
    recipientUserId: life.userId,
    callbackData: life.callbackData,
  };
}

function scheduleWindowFailure(deps: GraphDeps, life: MessageLife) {
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
    const update = { ...statusTarget(life), status: "failed" as const, at: deps.now(), errors };
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

/** Meta answers `to` as given and the WhatsApp id as digits only. */
const toWaId = (to: string) => to.replace(/[\s+\-()]/g, "");
