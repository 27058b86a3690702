import type { IncomingMessage, ServerResponse } from "node:http";
import type { Database, Sql } from "@/db/client";
import { apiContentSecurityPolicy, staticSecurityHeaders } from "@/lib/http/security-headers";
import { loggerFor } from "@/lib/logger";
import { intakeWebhook } from "@/lib/services/webhooks/intake-webhook";

const WEBHOOK_PATH = "/api/webhooks/whatsapp";
const log = loggerFor("web");

/** Meta's delivery: POST on the exact path, any query string. Meta's GET handshake stays in Next.js. */
export function isWebhookPost(req: IncomingMessage) {
  return req.method === "POST" && (req.url === WEBHOOK_PATH || req.url?.startsWith(`${WEBHOOK_PATH}?`) === true);
}

/** What next.config.ts sends with every API answer. */
const securityHeaders: Record<string, string> = {
  ...Object.fromEntries(staticSecurityHeaders.map(({ key, value }) => [key, value])),
  "Content-Security-Policy": apiContentSecurityPolicy,
};

/**
 * The webhook intake's door in the production server: the route handler's own intake
 * (intakeWebhook) fed from the node request, without the Request, routing and tracing that
 * Next.js builds per request, which cost the web process several times the intake itself.
 */
export function webhookDoor(pool: { db: Database; sql: Sql }) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const signature = req.headers["x-hub-signature-256"];
    intakeWebhook(pool, {
      contentLength: req.headers["content-length"],
      signature: typeof signature === "string" ? signature : null,
      // Not destroyed when the intake stops reading an oversized body: the 413 still goes out on it.
      body: req.iterator({ destroyOnReturn: false }),
    }).then(
      (answer) => {
        const body = answer.body ? JSON.stringify(answer.body) : undefined;
        res.writeHead(answer.status, {
          ...securityHeaders,
          ...(body ? { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } : {}),
          ...(answer.requestId ? { "X-Request-Id": answer.requestId } : {}),
          // An oversized body is left unread: close rather than drain it to reuse the connection.
          ...(answer.status === 413 ? { Connection: "close" } : {}),
        });
        res.end(body);
      },
      // The intake answers every outcome itself; what fails here is reading the body (the sender
      // went away mid-body), with nobody left to answer.
      (err) => {
        log.warn({ err }, "webhook request aborted");
        res.destroy();
      },
    );
  };
}
