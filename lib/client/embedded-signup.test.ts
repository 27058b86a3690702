import { describe, expect, it } from "vitest";
import { createSignupCollector, isAllowedOrigin, parseSignupMessage } from "./embedded-signup";

const meta = "https://www.facebook.com";
const finish = JSON.stringify({
  data: { waba_id: "102290129340398" },
  type: "WA_EMBEDDED_SIGNUP",
  event: "FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING",
  version: 3,
});

describe("signup message origin", () => {
  it("accepts facebook.com and its subdomains over https only", () => {
    for (const origin of ["https://www.facebook.com", "https://facebook.com", "https://web.facebook.com"]) {
      expect(isAllowedOrigin(origin, meta)).toBe(true);
    }
    for (const origin of [
      "https://evilfacebook.com",
      "https://facebook.com.evil.io",
      "http://www.facebook.com",
      "https://www.facebook.com:8443",
      "null",
      "",
    ]) {
      expect(isAllowedOrigin(origin, meta)).toBe(false);
    }
  });

  it("the sandbox origin must match exactly, port included", () => {
    expect(isAllowedOrigin("http://127.0.0.1:3002", "http://127.0.0.1:3002")).toBe(true);
    expect(isAllowedOrigin("http://127.0.0.1:3000", "http://127.0.0.1:3002")).toBe(false);
  });

  it("ignores a well-formed message from another origin", () => {
    expect(parseSignupMessage({ origin: "https://evilfacebook.com", data: finish }, meta)).toBeNull();
  });
});

describe("signup message kinds", () => {
  it("reads the coexistence completion carrying only waba_id, as a JSON string or an object", () => {
    const expected = {
      kind: "finish",
      event: "FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING",
      wabaId: "102290129340398",
      phoneNumberId: null,
    };
    expect(parseSignupMessage({ origin: meta, data: finish }, meta)).toEqual(expected);
    expect(parseSignupMessage({ origin: meta, data: JSON.parse(finish) }, meta)).toEqual(expected);
  });

  it("reads the generic FINISH with a phone number id", () => {
    const data = { type: "WA_EMBEDDED_SIGNUP", event: "FINISH", data: { waba_id: "1", phone_number_id: "2", business_id: "3" } };
    expect(parseSignupMessage({ origin: meta, data }, meta)).toEqual({
      kind: "finish",
      event: "FINISH",
      wabaId: "1",
      phoneNumberId: "2",
    });
  });

  it("tells an abandoned signup from one cancelled with Meta's error", () => {
    const abandoned = { type: "WA_EMBEDDED_SIGNUP", event: "CANCEL", data: { current_step: "PHONE_NUMBER_SETUP" } };
    expect(parseSignupMessage({ origin: meta, data: JSON.stringify(abandoned) }, meta)).toEqual({
      kind: "cancel",
      step: "PHONE_NUMBER_SETUP",
      error: null,
    });
    const failed = {
      type: "WA_EMBEDDED_SIGNUP",
      event: "CANCEL",
      data: {
        error_message: "Number not eligible",
        error_code: "524126",
        session_id: "f34b51dab5e0498",
        timestamp: "1746041036",
      },
    };
    expect(parseSignupMessage({ origin: meta, data: JSON.stringify(failed) }, meta)).toEqual({
      kind: "cancel",
      step: null,
      error: { code: "524126", message: "Number not eligible" },
    });
  });

  it("ignores other messages, other flows, broken JSON and a completion without a WABA", () => {
    for (const data of [
      "not json",
      JSON.stringify({ type: "SOMETHING_ELSE", event: "FINISH" }),
      JSON.stringify({ type: "WA_EMBEDDED_SIGNUP", event: "FINISH_ONLY_WABA", data: { waba_id: "1" } }),
      JSON.stringify({ type: "WA_EMBEDDED_SIGNUP", event: "FINISH", data: {} }),
      42,
    ]) {
      expect(parseSignupMessage({ origin: meta, data }, meta)).toBeNull();
    }
  });
});

describe("collecting the code and the session message", () => {
  const session = parseSignupMessage({ origin: meta, data: finish }, meta)!;
  const ready = { status: "ready", code: "c0de", wabaId: "102290129340398", phoneNumberId: null };

  it("is ready once both arrived, code first", () => {
    const collector = createSignupCollector();
    expect(collector.addLogin({ authResponse: { code: "c0de" }, status: "connected" })).toEqual({ status: "waiting" });
    expect(collector.addSession(session)).toEqual(ready);
  });

  it("is ready once both arrived, session message first", () => {
    const collector = createSignupCollector();
    expect(collector.addSession(session)).toEqual({ status: "waiting" });
    expect(collector.addLogin({ authResponse: { code: "c0de" } })).toEqual(ready);
  });

  it("a CANCEL with an error wins even when it follows a login without a code", () => {
    const collector = createSignupCollector();
    expect(collector.addLogin({ authResponse: null, status: "unknown" })).toEqual({ status: "waiting" });
    const cancel = parseSignupMessage(
      {
        origin: meta,
        data: JSON.stringify({ type: "WA_EMBEDDED_SIGNUP", event: "CANCEL", data: { error_code: "1", error_message: "Boom" } }),
      },
      meta,
    )!;
    expect(collector.addSession(cancel)).toEqual({ status: "cancelled", step: null, error: { code: "1", message: "Boom" } });
  });

  it("a login without a code and no message settles as abandoned; a finish without a code says so", () => {
    const abandoned = createSignupCollector();
    abandoned.addLogin({ authResponse: null });
    expect(abandoned.settle()).toEqual({ status: "cancelled", step: null, error: null });
    const noCode = createSignupCollector();
    noCode.addSession(session);
    noCode.addLogin({ authResponse: null });
    expect(noCode.settle()).toMatchObject({ status: "cancelled", error: { message: expect.stringContaining("no code") } });
  });

  it("a stray CANCEL after a completion changes nothing", () => {
    const collector = createSignupCollector();
    collector.addSession(session);
    collector.addSession({ kind: "cancel", step: null, error: null });
    expect(collector.addLogin({ authResponse: { code: "c0de" } })).toEqual(ready);
  });
});
