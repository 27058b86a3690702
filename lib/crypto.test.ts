import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "./crypto";

describe("secrets at rest", () => {
  it("round-trips and never stores the plain text", () => {
    const sealed = encryptSecret("EAAG-token", "s3cret");
    expect(sealed).not.toContain("EAAG");
    expect(decryptSecret(sealed, "s3cret")).toBe("EAAG-token");
  });

  it("refuses to decrypt with another key", () => {
    expect(() => decryptSecret(encryptSecret("x", "a"), "b")).toThrow();
  });
});
