import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { BodyTooLargeError, readJson, sendJson } from "./http";
import type { AccountStatus } from "./state";

/**
 * Meta's Graph error shape and the checks every sandbox Graph endpoint shares (token, object id, body).
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
 */

export type MetaError = { status: number; message: string; type: string; code: number; subcode?: number; details?: string };

export class GraphError extends Error {
  constructor(readonly meta: MetaError) {
    super(meta.message);
  }
}

export function sendGraphError(res: ServerResponse, error: MetaError) {
  sendJson(res, error.status, {
    error: {
      message: error.message,
      type: error.type,
      code: error.code,
      ...(error.subcode ? { error_subcode: error.subcode } : {}),
      ...(error.details ? { error_data: { messaging_product: "whatsapp", details: error.details } } : {}),
      fbtrace_id: randomBytes(12).toString("base64url"),
    },
  });
}

export function bearerToken(req: IncomingMessage, url: URL): string | null {
  return /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim() ?? url.searchParams.get("access_token");
}

/**
 * The business token, as Meta checks it: 190 without a valid one, and 190/458 once the business has
 * uninstalled the app (PARTNER_APP_UNINSTALLED), because that invalidates the token.
 */
export function checkToken(req: IncomingMessage, url: URL, expected: string, account: AccountStatus) {
  if (bearerToken(req, url) !== expected) {
    throw new GraphError({
      status: 401,
      message: "Invalid OAuth access token - Cannot parse access token",
      type: "OAuthException",
      code: 190,
    });
  }
  if (account === "uninstalled") {
    throw new GraphError({
      status: 401,
      message: "Error validating access token: The user has not authorized application.",
      type: "OAuthException",
      code: 190,
      subcode: 458,
    });
  }
}

export function unknownObject(method: "get" | "post", id: string): GraphError {
  return new GraphError({
    status: 400,
    message: `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    type: "GraphMethodException",
    code: 100,
    subcode: 33,
  });
}

export function checkPhoneNumberId(id: string, known: string) {
  if (id !== known) throw unknownObject("post", id);
}

/**
 * While the number is off the Cloud API (ACCOUNT_OFFBOARDED, PARTNER_REMOVED) Meta refuses API calls
 * for it; the sandbox answers 133010 "Account not registered", as for a number not on the platform.
 */
export function checkConnected(account: AccountStatus) {
  if (account !== "offboarded" && account !== "removed") return;
  throw new GraphError({
    status: 400,
    message: "(#133010) Account not registered",
    type: "OAuthException",
    code: 133010,
    details:
      account === "offboarded"
        ? "The phone number is not registered on the Cloud API: it was offboarded (ACCOUNT_OFFBOARDED) and has not reconnected."
        : "The phone number is not registered on the Cloud API for this app: the business disconnected it (PARTNER_REMOVED).",
  });
}

/**
 * A refused `smb_app_data` request: 2593107 for a second request of a sync type, 2593108 past 24 hours
 * after onboarding, 133010 while the number is off the Cloud API. Meta documents the codes in `code`.
 */
export function syncRefusal(refused: "used" | "window_closed" | "not_connected", account: AccountStatus): GraphError {
  if (refused === "not_connected") {
    try {
      checkConnected(account);
    } catch (error) {
      if (error instanceof GraphError) return error;
    }
    return new GraphError({ status: 400, message: "(#133010) Account not registered", type: "OAuthException", code: 133010 });
  }
  const message =
    refused === "used"
      ? "You have exceeded the maximum number of times to call the synchronization api for this phone number."
      : "Synchronization request can only be made within 24 hours of onboarding";
  return new GraphError({
    status: 400,
    message,
    type: "OAuthException",
    code: refused === "used" ? 2593107 : 2593108,
    details: message,
  });
}

export async function readGraphBody(req: IncomingMessage): Promise<unknown> {
  try {
    const body = await readJson(req);
    if (body === undefined) throw invalidParameter("Request body must be a JSON object");
    return body;
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw invalidParameter(error.message);
    throw error;
  }
}

export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function parseOrThrow<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const param = toMetaParam(issue.path);
  if (valueAt(body, issue.path) === undefined && issue.path.length > 0) {
    throw new GraphError({
      status: 400,
      message: `(#100) The parameter ${param} is required.`,
      type: "OAuthException",
      code: 100,
      details: `The parameter ${param} is required.`,
    });
  }
  throw invalidParameter(issue.path.length > 0 ? `Param ${param} ${issue.message}.` : "Request body must be a JSON object");
}

export function invalidParameter(details: string): GraphError {
  return new GraphError({ status: 400, message: "(#100) Invalid parameter", type: "OAuthException", code: 100, details });
}

/** Meta names nested parameters like `text['body']`. */
function toMetaParam(path: PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  return `${head ?? ""}${rest.map((key) => `['${key}']`).join("")}`;
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((current, key) => (isObject(current) ? current[key as string] : undefined), value);
}

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
