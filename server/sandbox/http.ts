import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";

/** Small plumbing shared by the sandbox routes: bodies, JSON answers and the sandbox's own error shape. */

export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

// Meta caps webhook payloads at 3 MB; nothing the sandbox accepts needs more than that.
const maxBodyBytes = 3 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new BodyTooLargeError(`Request body is larger than ${maxBodyBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON body; undefined when the bytes are not JSON, so callers answer in their own error format. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req);
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    return undefined;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": bytes.length });
  res.end(bytes);
}

/** The sandbox's own endpoints answer errors as `{ error: { code, message } }`, like Tandem's API. */
export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

/** Reads and validates a JSON body; on failure answers 400 itself and returns null. */
export async function readValidJson<T>(req: IncomingMessage, res: ServerResponse, schema: z.ZodType<T>): Promise<T | null> {
  const body = await readJson(req);
  if (body === undefined) {
    sendError(res, 400, "VALIDATION", "Request body must be JSON");
    return null;
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  sendValidationError(res, parsed.error);
  return null;
}

export function sendValidationError(res: ServerResponse, error: z.ZodError): void {
  const message = error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
  sendError(res, 400, "VALIDATION", message);
}
