import { randomUUID } from "node:crypto";
import { webEnv } from "@/lib/env/web";
import { AppError } from "@/lib/errors";
import { readBodyWithin } from "@/lib/http/read-body";
import { errorResponse } from "@/lib/http/route";
import { loggerFor } from "@/lib/logger";
import { processMetrics } from "@/lib/metrics/registry";
import { getDb, getSql } from "@/lib/server/db";
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

const log = loggerFor("web");
type Outcome = "stored" | "duplicate" | "rejected" | "unavailable";

/**
 * Verifies X-Hub-Signature-256 on the raw bytes, commits them, and only then answers 200. A 5xx
 * goes out only when the event could not be stored, so Meta redelivers it. Kept to the signature,
 * the insert and the answer: this is the path that must stay fast whatever processing does. The
 * answer has no body (Meta reads only the status): Next.js sends a bodiless response in one write,
 * where a body goes through a stream, chunked, in three; the outcome is in the metrics.
 */
export async function POST(req: Request) {
  const started = performance.now();
  const [response, outcome] = await receive(req);
  const metrics = processMetrics("web");
  metrics.ackSeconds.observe((performance.now() - started) / 1000);
  metrics.intake.inc({ outcome });
  return response;
}

async function receive(req: Request): Promise<[Response, Outcome]> {
  const raw = await readBodyWithin(req, MAX_BODY_BYTES);
  if (!raw) return [errorResponse(new AppError("PAYLOAD_TOO_LARGE", "The body exceeds 4 MB.")), "rejected"];
  if (!isValidSignature(raw, req.headers.get("x-hub-signature-256"), webEnv().META_APP_SECRET)) {
    return [errorResponse(new AppError("UNAUTHORIZED", "Missing or invalid X-Hub-Signature-256.")), "rejected"];
  }
  try {
    const { duplicate } = await receiveWebhook({
      ctx: { db: getDb(), sql: getSql(), actor: { kind: "webhook" } },
      input: { raw },
    });
    return [new Response(null, { status: 200 }), duplicate ? "duplicate" : "stored"];
  } catch (error) {
    if (error instanceof AppError) return [errorResponse(error), "rejected"];
    const requestId = randomUUID();
    log.error({ requestId, err: error }, "webhook not stored");
    const body = { error: { code: "UNAVAILABLE", message: "The event could not be stored; retry." } };
    return [Response.json(body, { status: 503, headers: { "x-request-id": requestId } }), "unavailable"];
  }
}
