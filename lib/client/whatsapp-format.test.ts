import { isValidElement, type ReactElement } from "react";
import { describe, expect, it } from "vitest";
import { formatWhatsApp, hasWhatsAppFormatting, stripWhatsAppFormatting } from "./whatsapp-format";

const describeNodes = (nodes: unknown[]): unknown[] =>
  nodes.map((node) => {
    if (!isValidElement(node)) return node;
    const element = node as ReactElement<{ children: unknown }>;
    const children = element.props.children;
    return { [String(element.type)]: Array.isArray(children) ? describeNodes(children) : children };
  });

describe("WhatsApp formatting", () => {
  it("renders bold, italic, strikethrough and monospace", () => {
    expect(describeNodes(formatWhatsApp("Your *order* is _on its way_, ~not~ `late`"))).toEqual([
      "Your ",
      { strong: ["order"] },
      " is ",
      { em: ["on its way"] },
      ", ",
      { s: ["not"] },
      " ",
      { code: "late" },
    ]);
  });

  it("ignores markers around spaces and keeps plain text as is", () => {
    expect(formatWhatsApp("2 * 3 * 4 and snake_case_name")).toEqual(["2 * 3 * 4 and snake_case_name"]);
    expect(hasWhatsAppFormatting("plain text")).toBe(false);
    expect(hasWhatsAppFormatting("*bold*")).toBe(true);
    // Checking first must not break the rendering that follows.
    expect(describeNodes(formatWhatsApp("*bold*"))).toEqual([{ strong: ["bold"] }]);
  });

  it("previews drop the markers and keep the text", () => {
    expect(stripWhatsAppFormatting("Your code is *12345*")).toBe("Your code is 12345");
    expect(stripWhatsAppFormatting("_on its way_, ~not~ `late`, ```x = 1```")).toBe("on its way, not late, x = 1");
    expect(stripWhatsAppFormatting("*bold _and italic_*")).toBe("bold and italic");
    expect(stripWhatsAppFormatting("2 * 3 * 4 and snake_case_name")).toBe("2 * 3 * 4 and snake_case_name");
  });
});
