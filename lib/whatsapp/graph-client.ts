import { z } from "zod";

/**
 * The one client for Meta's Graph API. Base URL and version come from configuration, so the same
 * code talks to graph.facebook.com or to the local sandbox. Pure: fetch is injected.
 */

export type GraphClientOptions = {
  baseUrl: string;
  version: string;
  fetch?: typeof fetch;
  /** How long a send waits for Meta's answer before its outcome counts as unknown; 15 s by default. */
  sendTimeoutMs?: number;
};

/**
 * Reads Meta's error body field by field, so a code survives an unexpected sibling (a non-string
 * message, a missing type): the code decides between retrying and failing.
 */
export function parseGraphError(httpStatus: number, json: unknown): GraphApiError {
  const error = isRecord(json) && isRecord(json.error) ? json.error : null;
  const code = toCode(error?.code);
  const subcode = toCode(error?.error_subcode);
  const message = typeof error?.message === "string" && error.message ? error.message : `Graph API answered HTTP ${httpStatus}`;
  const data = isRecord(error?.error_data) ? error.error_data : null;
  const details = typeof data?.details === "string" ? data.details : undefined;
  return new GraphApiError(httpStatus, code ?? 0, message, subcode ?? undefined, details);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function toCode(value: unknown): number | null {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) ? n : null;
}

export class GraphApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: number,
    message: string,
    readonly subcode?: number,
    readonly details?: string,
  ) {
    super(message);
    this.name = "GraphApiError";
  }

  /** Meta carries some codes in error_subcode; callers match either. */
  hasCode(code: number) {
    return this.code === code || this.subcode === code;
  }
}

/**
 * The request may have reached Meta but its answer did not reach us (timeout, connection reset after
 * the body was written, an unreadable 2xx). Resending could deliver the message twice.
 */
export class GraphUnknownOutcomeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GraphUnknownOutcomeError";
  }
}

// Failures that happen before a connection exists: the request never left, so a retry is safe.
const NOT_SENT_CAUSES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** A network failure that proves the request never reached Meta. */
export class GraphNotSentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GraphNotSentError";
  }
}

function classifyFetchFailure(error: unknown): Error {
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  const code = cause?.code ?? (error as { code?: string } | null)?.code;
  if (code && NOT_SENT_CAUSES.has(code)) return new GraphNotSentError(`WhatsApp could not be reached (${code})`);
  const reason = error instanceof Error && error.name === "TimeoutError" ? "timed out" : (code ?? String(error));
  return new GraphUnknownOutcomeError(`No answer from WhatsApp (${reason})`);
}

const sendResponseSchema = z.object({
  messages: z.array(z.looseObject({ id: z.string(), message_status: z.string().optional() })).min(1),
});

const templatePageSchema = z.looseObject({
  data: z.array(z.unknown()),
  paging: z
    .looseObject({ cursors: z.looseObject({ after: z.string().optional() }).optional(), next: z.string().optional() })
    .optional(),
});

const mediaInfoSchema = z.looseObject({
  url: z.string().url(),
  mime_type: z.string(),
  sha256: z.string().optional(),
  file_size: z.coerce.number().optional(),
  id: z.string(),
});

/** The type-specific part of a send, as Meta names it: `{ type: "image", image: { id, caption } }`. */
export type OutboundMessage = { type: string } & Record<string, unknown>;

/** Who receives a send: the WhatsApp id when known, otherwise the business-scoped user id. */
export type Recipient = { waId: string | null; userId: string | null };

/** A Graph answer: the parsed body, or a GraphApiError carrying Meta's code, subcode and details. */
export async function readGraphResponse<T>(response: Response, schema: z.ZodType<T>): Promise<T> {
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) throw parseGraphError(response.status, json);
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new GraphApiError(response.status, 0, "Graph API answered an unexpected body");
  return parsed.data;
}

export function createGraphClient(options: GraphClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const root = `${options.baseUrl.replace(/\/$/, "")}/${options.version}`;

  async function call<T>(path: string, token: string, schema: z.ZodType<T>, init: RequestInit = {}): Promise<T> {
    const response = await doFetch(`${root}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
      signal: init.signal ?? AbortSignal.timeout(15_000),
    });
    return readGraphResponse(response, schema);
  }

  return {
    /**
     * POST /{phone_number_id}/messages; returns the wamid. `tag` travels as biz_opaque_callback_data
     * and comes back in status webhooks, so an answer lost on the way still finds its message.
     * Throws GraphApiError (Meta answered), GraphNotSentError (never left) or GraphUnknownOutcomeError.
     */
    async sendMessage(input: {
      phoneNumberId: string;
      token: string;
      recipient: Recipient;
      message: OutboundMessage;
      replyToWamid?: string | null;
      tag?: string;
    }): Promise<{ wamid: string }> {
      const body = {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        // Meta: `to` wins when both are present; a contact known only by BSUID goes in `recipient`.
        ...(input.recipient.waId ? { to: input.recipient.waId } : { recipient: input.recipient.userId }),
        ...(input.replyToWamid ? { context: { message_id: input.replyToWamid } } : {}),
        ...(input.tag ? { biz_opaque_callback_data: input.tag } : {}),
        ...input.message,
      };
      let response: Response;
      try {
        response = await doFetch(`${root}/${encodeURIComponent(input.phoneNumberId)}/messages`, {
          method: "POST",
          headers: { authorization: `Bearer ${input.token}`, "content-type": "application/json" },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(options.sendTimeoutMs ?? 15_000),
        });
      } catch (error) {
        throw classifyFetchFailure(error);
      }
      let json: unknown;
      try {
        json = await response.json();
      } catch (error) {
        if (response.ok) throw new GraphUnknownOutcomeError("WhatsApp's answer could not be read");
        if (error instanceof Error && error.name === "TimeoutError") throw classifyFetchFailure(error);
        json = null;
      }
      if (!response.ok) throw parseGraphError(response.status, json);
      const parsed = sendResponseSchema.safeParse(json);
      if (!parsed.success) throw new GraphUnknownOutcomeError("WhatsApp answered without a message id");
      return { wamid: parsed.data.messages[0]!.id };
    },

    /** Every template of a WABA: GET /{waba_id}/message_templates, following the `after` cursor page by page. */
    async listTemplates(input: { wabaId: string; token: string; pageSize?: number }): Promise<unknown[]> {
      const all: unknown[] = [];
      let after: string | undefined;
      for (let page = 0; page < 100; page++) {
        const query = new URLSearchParams({
          fields: "id,name,status,category,language,components,parameter_format,rejected_reason",
          limit: String(input.pageSize ?? 100),
          ...(after ? { after } : {}),
        });
        const result = await call(
          `/${encodeURIComponent(input.wabaId)}/message_templates?${query}`,
          input.token,
          templatePageSchema,
        );
        all.push(...result.data);
        after = result.paging?.cursors?.after;
        if (!result.paging?.next || !after) return all;
      }
      throw new GraphApiError(200, 0, "Template list did not end after 100 pages");
    },

    /** POST /{phone_number_id}/media (multipart): an id to send the file by, valid 30 days. */
    async uploadMedia(input: { phoneNumberId: string; token: string; file: Blob; filename: string }): Promise<{ id: string }> {
      const form = new FormData();
      form.set("messaging_product", "whatsapp");
      form.set("type", input.file.type);
      form.set("file", input.file, input.filename);
      const response = await doFetch(`${root}/${encodeURIComponent(input.phoneNumberId)}/media`, {
        method: "POST",
        headers: { authorization: `Bearer ${input.token}` },
        body: form,
        signal: AbortSignal.timeout(120_000),
      });
      const json: unknown = await response.json().catch(() => null);
      if (!response.ok) throw parseGraphError(response.status, json);
      const parsed = z.object({ id: z.string() }).safeParse(json);
      if (!parsed.success) throw new GraphApiError(response.status, 0, "Graph API answered an unexpected body");
      return parsed.data;
    },

    /** GET /{media_id}: a short-lived download URL (about 5 minutes) and the file's metadata. */
    getMedia(input: { mediaId: string; token: string; phoneNumberId?: string }) {
      const query = input.phoneNumberId ? `?phone_number_id=${encodeURIComponent(input.phoneNumberId)}` : "";
      return call(`/${encodeURIComponent(input.mediaId)}${query}`, input.token, mediaInfoSchema);
    },

    /** Downloads a media URL; Meta requires the bearer token here too. */
    async downloadMedia(input: {
      url: string;
      token: string;
      maxBytes: number;
    }): Promise<{ data: Buffer; contentType: string | null }> {
      const response = await doFetch(input.url, {
        headers: { authorization: `Bearer ${input.token}` },
        signal: AbortSignal.timeout(60_000),
      });
      if (!response.ok) throw new GraphApiError(response.status, 0, `Media download answered HTTP ${response.status}`);
      const length = Number(response.headers.get("content-length") ?? 0);
      if (length > input.maxBytes) throw new GraphApiError(413, 0, `Media is larger than ${input.maxBytes} bytes`);
      const data = Buffer.from(await response.arrayBuffer());
      if (data.length > input.maxBytes) throw new GraphApiError(413, 0, `Media is larger than ${input.maxBytes} bytes`);
      return { data, contentType: response.headers.get("content-type") };
    },
  };
}

export type GraphClient = ReturnType<typeof createGraphClient>;
