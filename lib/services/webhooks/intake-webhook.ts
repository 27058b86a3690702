import { randomUUID } from "node:crypto";
import type { Database, Sql } from "@/db/client";
import { webEnv } from "@/lib/env/web";
import { AppError, httpStatusOf } from "@/lib/errors";
import { readBodyWithin } from "@/lib/http/read-body";
import { loggerFor } from "@/lib/logger";
import { processMetrics } from "@/lib/metrics/registry";
import { isValidSignature } from "@/lib/whatsapp/signature";
import { receiveWebhook } from "./receive-webhook";

/** Meta's maximum webhook payload is 3 MB; leave headroom, refuse anything far beyond it. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * A webhook POST as both doors see it: the Next.js route handler (`next dev`, tests) and the
 * production web server's own dispatch, which skips Next.js's per-request machinery.
 */
export type WebhookDelivery = {
  contentLength: string | null | undefined;
  signature: string | null | undefined;
  /** The body as it arrives, read only up to the limit. */
  body: AsyncIterable<Uint8Array> | null;
};

/** What the door writes back. Success has no body: Meta reads only the status. */
export type WebhookAnswer = {
  status: number;
  body?: { error: { code: string; message: string } };
  requestId?: string;
};

type Outcome = "stored" | "duplicate" | "rejected" | "unavailable";
const log = loggerFor("web");

/**
 * The intake: verifies X-Hub-Signature-256 on the raw bytes, commits them, and only then answers
 * 200. A 5xx goes out only when the event could not be stored, so Meta redelivers it. Kept to the
 * body limit, the signature, the insert and the answer: this path must stay fast whatever
 * processing does. The outcome and the time to answer go to the metrics.
 */
export async function intakeWebhook(pool: { db: Database; sql: Sql }, delivery: WebhookDelivery): Promise<WebhookAnswer> {
  const started = performance.now();
  const [answer, outcome] = await receive(pool, delivery);
  const metrics = processMetrics("web");
  metrics.ackSeconds.observe((performance.now() - started) / 1000);
  metrics.intake.inc({ outcome });
  return answer;
}

async function receive(pool: { db: Database; sql: Sql }, delivery: WebhookDelivery): Promise<[WebhookAnswer, Outcome]> {
  const raw = await readBodyWithin(delivery, MAX_BODY_BYTES);
  if (!raw) return [refusal(new AppError("PAYLOAD_TOO_LARGE", "The body exceeds 4 MB.")), "rejected"];
  if (!isValidSignature(raw, delivery.signature ?? null, webEnv().META_APP_SECRET)) {
    return [refusal(new AppError("UNAUTHORIZED", "Missing or invalid X-Hub-Signature-256.")), "rejected"];
  }
  try {
    const { duplicate } = await receiveWebhook({ ctx: { ...pool, actor: { kind: "webhook" } }, input: { raw } });
    return [{ status: 200 }, duplicate ? "duplicate" : "stored"];
  } catch (error) {
    if (error instanceof AppError) return [refusal(error), "rejected"];
    const requestId = randomUUID();
    log.error({ requestId, err: error }, "webhook not stored");
    const body = { error: { code: "UNAVAILABLE", message: "The event could not be stored; retry." } };
    return [{ status: 503, body, requestId }, "unavailable"];
  }
}

const refusal = (error: AppError): WebhookAnswer => ({
  status: httpStatusOf[error.code],
  body: { error: { code: error.code, message: error.message } },
});
