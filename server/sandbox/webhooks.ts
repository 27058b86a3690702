import { randomBytes } from "node:crypto";
import { change, echo, envelope, inboundMessage, metadataOf } from "@/lib/whatsapp/fixtures/build";
import { signPayload, toMetaJson } from "@/lib/whatsapp/signature";
import type { Timers } from "./timers";

/**
 * Builds webhook bodies in Meta's exact shape and delivers them signed, retrying like Meta does.
 * Shapes: https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
 */

export type BusinessNumber = { wabaId: string; phoneNumberId: string; displayPhoneNumber: string; verifiedName: string };

export type Pricing = { billable: boolean; pricing_model: "PMP"; type: string; category: string };

export type StatusUpdate = {
  wamid: string;
  status: "sent" | "delivered" | "read" | "failed";
  at: Date;
  recipientId: string;
  /** Set when the send named a business-scoped user id (`recipient`) instead of a phone number. */
  recipientUserId?: string;
  /** The send's biz_opaque_callback_data, echoed in every status like Meta does. */
  callbackData?: string;
  pricing?: Pricing;
  errors?: unknown[];
};

export type CustomerMessage = {
  wamid: string;
  waId: string;
  name: string;
  text: string;
  at: Date;
  replyToWamid?: string | null;
};

/** Meta's message ids look like `wamid.<base64>`; clients must treat them as opaque strings. */
export function createWamid(): string {
  return `wamid.${randomBytes(30).toString("base64")}`;
}

/** Webhook timestamps are strings of Unix seconds. */
export const toUnixSeconds = (at: Date) => String(Math.floor(at.getTime() / 1000));

function messagesEnvelope(number: BusinessNumber, fields: Record<string, unknown>) {
  return envelope(number.wabaId, [
    { value: { messaging_product: "whatsapp", metadata: metadataOf(number), ...fields }, field: "messages" },
  ]);
}

const seconds = (at: Date) => Math.floor(at.getTime() / 1000);

export function buildCustomerMessageWebhook(number: BusinessNumber, message: CustomerMessage) {
  return inboundMessage(number, {
    from: message.waId,
    name: message.name,
    wamid: message.wamid,
    timestamp: seconds(message.at),
    type: "text",
    content: { body: message.text },
    ...(message.replyToWamid ? { replyTo: message.replyToWamid } : {}),
  });
}

/** A tap on a template's quick-reply button: type `button`, quoting the template. */
export function buildButtonReplyWebhook(
  number: BusinessNumber,
  message: Omit<CustomerMessage, "text" | "replyToWamid"> & { templateWamid: string; text: string; payload: string },
) {
  return inboundMessage(number, {
    from: message.waId,
    name: message.name,
    wamid: message.wamid,
    timestamp: seconds(message.at),
    type: "button",
    content: { payload: message.payload, text: message.text },
    replyTo: message.templateWamid,
  });
}

/** Meta's image object in webhooks: caption only when there is one, sha256 base64-encoded. */
export function imageContent(media: { mimeType: string; sha256Base64: string; id: string }, caption: string | null) {
  return { ...(caption ? { caption } : {}), mime_type: media.mimeType, sha256: media.sha256Base64, id: media.id };
}

export function buildCustomerImageWebhook(
  number: BusinessNumber,
  message: Omit<CustomerMessage, "text"> & { image: ReturnType<typeof imageContent> },
) {
  return inboundMessage(number, {
    from: message.waId,
    name: message.name,
    wamid: message.wamid,
    timestamp: seconds(message.at),
    type: "image",
    content: message.image,
    ...(message.replyToWamid ? { replyTo: message.replyToWamid } : {}),
  });
}

/** A message the business sent in the WhatsApp Business app: `smb_message_echoes`, from the business to the customer. */
export function buildEchoWebhook(
  number: BusinessNumber,
  message: { wamid: string; to: string; at: Date; type: "text" | "image"; content: Record<string, unknown> },
) {
  return echo(number, {
    to: message.to,
    wamid: message.wamid,
    timestamp: seconds(message.at),
    type: message.type,
    content: message.content,
  });
}

/**
 * An edit or revoke: the customer's arrive as `messages` (with `contacts[]`), the business app's as
 * `smb_message_echoes`; each has its own wamid and points at the original with `original_message_id`.
 */
export function buildChangeWebhook(
  number: BusinessNumber,
  input: {
    side: "customer" | "business";
    waId: string;
    name: string;
    wamid: string;
    originalWamid: string;
    at: Date;
    edit?: { type: "text" | "image"; content: Record<string, unknown> };
  },
) {
  return change(number, {
    side: input.side === "customer" ? "customer" : "phone",
    customer: input.waId,
    wamid: input.wamid,
    original: input.originalWamid,
    timestamp: seconds(input.at),
    ...(input.edit ? { editContent: input.edit } : {}),
    ...(input.side === "customer" ? { name: input.name } : {}),
  });
}

export function buildStatusWebhook(number: BusinessNumber, update: StatusUpdate) {
  return messagesEnvelope(number, {
    statuses: [
      {
        id: update.wamid,
        status: update.status,
        timestamp: toUnixSeconds(update.at),
        recipient_id: update.recipientId,
        ...(update.recipientUserId ? { recipient_user_id: update.recipientUserId } : {}),
        ...(update.callbackData ? { biz_opaque_callback_data: update.callbackData } : {}),
        ...(update.pricing ? { pricing: update.pricing } : {}),
        ...(update.errors ? { errors: update.errors } : {}),
      },
    ],
  });
}

export type DeliveryAttempt = { delivered: boolean; status: number | null };

export type WebhookSenderOptions = {
  url: string;
  appSecret: string;
  timers: Timers;
  fetch: typeof fetch;
  /** Waits before each retry; Meta retries "with decreasing frequency", here 1 s, 2 s, 4 s, 8 s by default. */
  retryDelaysMs: readonly number[];
  log: (line: string) => void;
};

export function createWebhookSender(options: WebhookSenderOptions) {
  const closing = new AbortController();

  async function attempt(body: string, signature: string): Promise<DeliveryAttempt> {
    try {
      const response = await options.fetch(options.url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": signature },
        body,
        signal: AbortSignal.any([closing.signal, AbortSignal.timeout(10_000)]),
      });
      await response.body?.cancel();
      // Meta counts only HTTP 200 as an acknowledgement.
      return { delivered: response.status === 200, status: response.status };
    } catch {
      return { delivered: false, status: null };
    }
  }

  function retry(body: string, signature: string, retryIndex: number, onSettled: (final: DeliveryAttempt) => void) {
    const delay = options.retryDelaysMs[retryIndex];
    if (delay === undefined) return;
    options.timers.later(delay, async () => {
      const result = await attempt(body, signature);
      if (result.delivered) return onSettled(result);
      if (retryIndex + 1 >= options.retryDelaysMs.length) {
        options.log(`webhook to ${options.url} given up after ${retryIndex + 2} attempts (last: ${describeAttempt(result)})`);
        return onSettled(result);
      }
      retry(body, signature, retryIndex + 1, onSettled);
    });
  }

  return {
    /**
     * Sends one webhook and resolves with the first attempt's outcome; when that is not a 200, retries
     * continue in the background with the same bytes and signature, and `onSettled` reports the end.
     */
    async deliver(payload: unknown, onSettled: (final: DeliveryAttempt) => void = () => {}): Promise<DeliveryAttempt> {
      const body = toMetaJson(payload);
      const signature = signPayload(body, options.appSecret);
      const first = await attempt(body, signature);
      if (first.delivered) {
        onSettled(first);
      } else if (options.retryDelaysMs.length === 0) {
        options.log(`webhook to ${options.url} not acknowledged (${describeAttempt(first)}); retries disabled`);
        onSettled(first);
      } else {
        options.log(`webhook to ${options.url} not acknowledged (${describeAttempt(first)}); retrying`);
        retry(body, signature, 0, onSettled);
      }
      return first;
    },
    close(): void {
      closing.abort();
    },
  };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;

const describeAttempt = (result: DeliveryAttempt) => (result.status === null ? "unreachable" : `HTTP ${result.status}`);
