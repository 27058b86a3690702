import { describe, expect, it } from "vitest";
import { isValidSignature, signPayload, toMetaJson } from "./signature";

const secret = "test-app-secret";

describe("isValidSignature", () => {
  it("accepts the signature Meta computes over the raw bytes", () => {
    const raw = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
    expect(isValidSignature(raw, signPayload(raw, secret), secret)).toBe(true);
  });

  it("rejects a signature made with another secret", () => {
    const raw = Buffer.from("{}");
    expect(isValidSignature(raw, signPayload(raw, "other"), secret)).toBe(false);
  });

  it("rejects a missing or malformed header", () => {
    const raw = Buffer.from("{}");
    expect(isValidSignature(raw, null, secret)).toBe(false);
    expect(isValidSignature(raw, "", secret)).toBe(false);
    expect(isValidSignature(raw, "sha256=abc", secret)).toBe(false);
    expect(isValidSignature(raw, signPayload(raw, secret).replace("sha256=", "sha1="), secret)).toBe(false);
  });

  it("rejects a body changed after signing", () => {
    const raw = Buffer.from('{"a":1}');
    expect(isValidSignature(Buffer.from('{"a":2}'), signPayload(raw, secret), secret)).toBe(false);
  });

  it("verifies a non-ASCII body signed as escaped unicode, and only on those exact bytes", () => {
    const payload = { text: { body: "Olá, café? 😀" } };
    const metaBytes = Buffer.from(toMetaJson(payload));
    expect(metaBytes.toString()).toContain("\\u00e1");
    const header = signPayload(metaBytes, secret);
    expect(isValidSignature(metaBytes, header, secret)).toBe(true);
    // Parsing then re-serialising yields different bytes, so the check must fail on them.
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(metaBytes.toString())));
    expect(isValidSignature(reserialised, header, secret)).toBe(false);
    expect(JSON.parse(metaBytes.toString())).toEqual(payload);
  });
});
