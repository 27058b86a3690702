import { webEnv } from "@/lib/env/web";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/route";
import { getDb, getSql } from "@/lib/server/db";
import { intakeWebhook } from "@/lib/services/webhooks/intake-webhook";

export const runtime = "nodejs";

/** Meta's verification handshake: echo hub.challenge when the verify token matches. */
export function GET(req: Request) {
  const params = new URL(req.url).searchParams;
  if (params.get("hub.mode") === "subscribe" && params.get("hub.verify_token") === webEnv().META_VERIFY_TOKEN) {
    return new Response(params.get("hub.challenge") ?? "", { status: 200, headers: { "content-type": "text/plain" } });
  }
  return errorResponse(new AppError("FORBIDDEN", "The verify token does not match."));
}

/**
 * Meta's deliveries, through the intake (intakeWebhook). The production server sends this path's
 * POSTs to the intake through a door of its own (server/web/webhook-door.ts), past Next.js's
 * per-request machinery; this handler serves `next dev`. The answer has no body on success: Meta
 * reads only the status, and Next.js ends a bodiless response in one write.
 */
export async function POST(req: Request) {
  const answer = await intakeWebhook(
    { db: getDb(), sql: getSql() },
    { contentLength: req.headers.get("content-length"), signature: req.headers.get("x-hub-signature-256"), body: req.body },
  );
  // A declared oversize body was not read: let it go rather than leave it pending.
  if (answer.status === 413) await req.body?.cancel().catch(() => {});
  if (!answer.body) return new Response(null, { status: answer.status });
  const headers = answer.requestId ? { "x-request-id": answer.requestId } : undefined;
  return Response.json(answer.body, { status: answer.status, headers });
}
