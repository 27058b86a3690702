import { createHmac, timingSafeEqual } from "node:crypto";

/** `sha256=<hex>` over the exact bytes, as Meta computes X-Hub-Signature-256. */
export function signPayload(raw: Uint8Array | string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(raw).digest("hex")}`;
}

/**
 * Checks X-Hub-Signature-256 against the raw body in constant time. The body must be the untouched
 * bytes: Meta signs escaped unicode, so re-serialised JSON fails for non-ASCII text.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/create-webhook-endpoint
 */
export function isValidSignature(raw: Uint8Array, header: string | null, appSecret: string): boolean {
  if (!header || !appSecret) return false;
  const expected = Buffer.from(signPayload(raw, appSecret));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Serialises JSON the way Meta sends it: every non-ASCII character as a \uXXXX escape. */
export function toMetaJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
