import { describe, expect, it } from "vitest";
import { waIdOf } from "./phone";

describe("a typed phone number as a WhatsApp id", () => {
  it("keeps the digits of a number written with its country code", () => {
    expect(waIdOf("+1 (555) 010-9999")).toBe("15550109999");
    expect(waIdOf("44 20 7946 0958")).toBe("442079460958");
  });

  it("refuses what cannot be one: too short, too long, a leading 0, letters", () => {
    expect(waIdOf("555 0199")).toBeNull();
    expect(waIdOf("+1234567890123456")).toBeNull();
    expect(waIdOf("020 7946 0958")).toBeNull();
    expect(waIdOf("Ines Lopez")).toBeNull();
    expect(waIdOf("+1 555 CALL NOW")).toBeNull();
  });
});
