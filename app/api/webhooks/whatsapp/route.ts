import { randomUUID } from "node:crypto";
import { webEnv } from "@/lib/env/web";
import { AppError } from "@/lib/errors";
import { readBodyWithin } from "@/lib/http/read-body";
import { errorResponse } from "@/lib/http/route";
import { getDb } from "@/lib/server/db";
import { receiveWebhook } from "@/lib/services/webhooks/receive-webhook";
import { isValidSignature } from "@/lib/whatsapp/signature";

export const runtime = "nodejs";

/** Meta's maximum webhook payload is 3 MB; leave headroom, refuse anything far beyond it. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Meta's verification handshake: echo hub.challenge when the verify token matches. */
export function GET(req: Request) {
  const params = new URL(req.url).searchParams;
  if (params.get("hub.mode") === "subscribe" && params.get("hub.verify_token") === webEnv().META_VERIFY_TOKEN) {
    return new Response(params.get("hub.challenge") ?? "", { status: 200, headers: { "content-type": "text/plain" } });
  }
  return errorResponse(new AppError("FORBIDDEN", "The verify token does not match."));
}

/**
 * Verifies X-Hub-Signature-256 on the raw bytes, commits them, and only then answers 200. A 5xx
 * goes out only when the event could not be stored, so Meta redelivers it.
 */
export async function POST(req: Request) {
  const requestId = randomUUID();
  const raw = await readBodyWithin(req, MAX_BODY_BYTES);
  if (!raw) return errorResponse(new AppError("PAYLOAD_TOO_LARGE", "The body exceeds 4 MB."), requestId);
  if (!isValidSignature(raw, req.headers.get("x-hub-signature-256"), webEnv().META_APP_SECRET)) {
    return errorResponse(new AppError("UNAUTHORIZED", "Missing or invalid X-Hub-Signature-256."), requestId);
  }
  try {
    const result = await receiveWebhook({ ctx: { db: getDb(), actor: { kind: "webhook" } }, input: { raw } });
    return Response.json({ ok: true, duplicate: result.duplicate });
  } catch (error) {
    if (error instanceof AppError) return errorResponse(error, requestId);
    console.error(JSON.stringify({ level: "error", requestId, msg: "webhook not stored", error: String(error) }));
    return Response.json({ error: { code: "UNAVAILABLE", message: "The event could not be stored; retry." } }, { status: 503 });
  }
}
