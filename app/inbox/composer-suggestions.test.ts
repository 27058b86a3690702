import { describe, expect, it } from "vitest";
import { fillVariables, findTrigger } from "./composer-suggestions";

describe("composer suggestions", () => {
  it("finds @ and / at the start of a word, right before the caret", () => {
    expect(findTrigger("ask @Bo", 7, "@")).toEqual({ start: 4, end: 7, query: "bo" });
    expect(findTrigger("/than", 5, "/")).toEqual({ start: 0, end: 5, query: "than" });
    expect(findTrigger("mail me at a@b", 14, "@")).toBeNull();
    expect(findTrigger("and/or", 6, "/")).toBeNull();
  });

  it("fills the customer's name into a canned reply", () => {
    expect(fillVariables("Hi {{first_name}}, thanks {{ name }}!", "Grace Hopper")).toBe("Hi Grace, thanks Grace Hopper!");
  });
});
