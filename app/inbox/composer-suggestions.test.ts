import { describe, expect, it } from "vitest";
import { fillVariables, findTrigger, nameVariable } from "./composer-suggestions";

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

  it("leaves the variables it cannot fill, and greets nobody by their number", () => {
    expect(fillVariables("Hi {{first_name}}, your {{order}} is here", "Grace Hopper")).toBe("Hi Grace, your {{order}} is here");
    expect(fillVariables("Hi {{first_name}}, thanks {{name}}", null)).toBe("Hi {{first_name}}, thanks {{name}}");
    expect(nameVariable("first_name", "Cher")).toBe("Cher");
    expect(nameVariable("date", "Cher")).toBeNull();
  });
});
