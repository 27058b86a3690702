/**
 * Embedded Signup's session-logging window messages and the FB.login callback, which arrive
 * independently and in either order: they are collected, then the server is called once.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/implementation
 */

/**
 * Only messages from the signup's origin are read: the same scheme and port, and its host or a
 * subdomain of it ("https://www.facebook.com" also accepts web.facebook.com, never evilfacebook.com).
 */
export function isAllowedOrigin(origin: string, allowed: string): boolean {
  let from: URL;
  let expected: URL;
  try {
    from = new URL(origin);
    expected = new URL(allowed);
  } catch {
    return false;
  }
  if (from.protocol !== expected.protocol || from.port !== expected.port) return false;
  const base = expected.hostname.replace(/^www\./, "");
  return from.hostname === base || from.hostname.endsWith(`.${base}`);
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
/** Meta sends ids as strings; numbers are accepted too. Empty means absent. */
const idOf = (value: unknown) => (typeof value === "string" || typeof value === "number" ? String(value) || null : null);
const textOf = (value: unknown) => (typeof value === "string" && value ? value : null);

export type SignupError = { code: string | null; message: string };

export type SignupEvent =
  | { kind: "finish"; event: string; wabaId: string; phoneNumberId: string | null }
  | { kind: "cancel"; step: string | null; error: SignupError | null };

// Completions Tandem accepts: the coexistence one (often only waba_id) and the generic one.
const FINISH_EVENTS = new Set(["FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING", "FINISH"]);

/** Reads one window message; null for anything that is not a signup message from the allowed origin. */
export function parseSignupMessage(message: { origin: string; data: unknown }, allowedOrigin: string): SignupEvent | null {
  if (!isAllowedOrigin(message.origin, allowedOrigin)) return null;
  let data: unknown = message.data;
  if (typeof data === "string") {
    try {
      data = JSON.parse(data);
    } catch {
      return null;
    }
  }
  // Checked by hand: zod compiles schemas with eval, which the pages' Content-Security-Policy refuses.
  if (!isObject(data) || data.type !== "WA_EMBEDDED_SIGNUP" || typeof data.event !== "string") return null;
  const { event } = data;
  const payload = isObject(data.data) ? data.data : {};
  if (FINISH_EVENTS.has(event)) {
    const wabaId = idOf(payload.waba_id);
    if (!wabaId) return null;
    return { kind: "finish", event, wabaId, phoneNumberId: idOf(payload.phone_number_id) };
  }
  if (event === "CANCEL" || event === "ERROR") {
    const code = idOf(payload.error_code);
    const message = textOf(payload.error_message);
    const hasError = Boolean(code || message) || event === "ERROR";
    return {
      kind: "cancel",
      step: textOf(payload.current_step),
      error: hasError ? { code, message: message ?? "Meta reported an error without a message." } : null,
    };
  }
  // FINISH_ONLY_WABA and other flows are not a coexistence onboarding.
  return null;
}

export type SignupOutcome =
  | { status: "waiting" }
  | { status: "ready"; code: string; wabaId: string; phoneNumberId: string | null }
  | { status: "cancelled"; step: string | null; error: SignupError | null };

/**
 * Collects the login callback's code and the session message. Ready once both are in; cancelled
 * when the session says CANCEL, or when the login came back without a code and `settle()` is
 * called after a grace period without a completion (a CANCEL with Meta's error may still follow).
 */
export function createSignupCollector() {
  let code: string | null | undefined;
  let session: SignupEvent | undefined;

  function outcome(): SignupOutcome {
    if (session?.kind === "cancel") return { status: "cancelled", step: session.step, error: session.error };
    if (session?.kind === "finish" && code) {
      return { status: "ready", code, wabaId: session.wabaId, phoneNumberId: session.phoneNumberId };
    }
    return { status: "waiting" };
  }

  return {
    /** From the FB.login callback: the code, or null when the login came back without one. */
    addLogin(response: unknown): SignupOutcome {
      const auth = isObject(response) && isObject(response.authResponse) ? response.authResponse : null;
      code = textOf(auth?.code);
      return outcome();
    },
    addSession(event: SignupEvent): SignupOutcome {
      // The first session message decides; a later one (a stray CANCEL after FINISH) changes nothing.
      session ??= event;
      return outcome();
    },
    /** After the grace period: a login without a code and no completion is an abandoned signup. */
    settle(): SignupOutcome {
      const current = outcome();
      if (current.status !== "waiting") return current;
      if (code !== null) return current;
      if (session?.kind === "finish") {
        return {
          status: "cancelled",
          step: null,
          error: { code: null, message: "Meta finished the signup but returned no code." },
        };
      }
      return { status: "cancelled", step: null, error: null };
    },
    get hasCode() {
      return typeof code === "string";
    },
  };
}
