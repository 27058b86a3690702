import { z } from "zod";

/**
 * The one client for Meta's Graph API. Base URL and version come from configuration, so the same
 * code talks to graph.facebook.com or to the local sandbox. Pure: fetch is injected.
 */

export type GraphClientOptions = { baseUrl: string; version: string; fetch?: typeof fetch };

const graphErrorSchema = z.object({
  error: z.looseObject({
    message: z.string().default("Graph API error"),
    type: z.string().optional(),
    code: z.number().default(0),
    error_subcode: z.number().optional(),
    error_data: z.looseObject({ details: z.string().optional() }).optional(),
    fbtrace_id: z.string().optional(),
  }),
});

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

const sendResponseSchema = z.object({
  messages: z.array(z.looseObject({ id: z.string(), message_status: z.string().optional() })).min(1),
});

const mediaInfoSchema = z.looseObject({
  url: z.string().url(),
  mime_type: z.string(),
  sha256: z.string().optional(),
  file_size: z.coerce.number().optional(),
  id: z.string(),
});

export type OutboundMessage =
  | { type: "text"; text: { body: string; preview_url?: boolean } }
  | { type: "template"; template: Record<string, unknown> };

/** A Graph answer: the parsed body, or a GraphApiError carrying Meta's code, subcode and details. */
export async function readGraphResponse<T>(response: Response, schema: z.ZodType<T>): Promise<T> {
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = graphErrorSchema.safeParse(json);
    if (!parsed.success) throw new GraphApiError(response.status, 0, `Graph API answered HTTP ${response.status}`);
    const e = parsed.data.error;
    throw new GraphApiError(response.status, e.code, e.message, e.error_subcode, e.error_data?.details);
  }
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
    /** POST /{phone_number_id}/messages; returns the wamid. */
    async sendMessage(input: {
      phoneNumberId: string;
      token: string;
      to: string;
      message: OutboundMessage;
      replyToWamid?: string | null;
    }): Promise<{ wamid: string }> {
      const body = {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: input.to,
        ...(input.replyToWamid ? { context: { message_id: input.replyToWamid } } : {}),
        ...input.message,
      };
      const result = await call(`/${encodeURIComponent(input.phoneNumberId)}/messages`, input.token, sendResponseSchema, {
        method: "POST",
        body: JSON.stringify(body),
      });
      return { wamid: result.messages[0]!.id };
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
