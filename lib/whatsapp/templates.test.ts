import { describe, expect, it } from "vitest";
import { templateDefinitionSchema } from "./template-schema";
import {
  buildTemplatePayload,
  listTemplateFields,
  listVariables,
  renderTemplateText,
  type TemplateDefinition,
  validateTemplateValues,
} from "./templates";

const positional = templateDefinitionSchema.parse({
  id: "1",
  name: "order_update",
  language: "en_US",
  status: "APPROVED",
  category: "UTILITY",
  components: [
    { type: "BODY", text: "Hi {{1}}, your order {{2}} has shipped. Thanks, {{1}}!" },
    { type: "FOOTER", text: "Tandem Demo Shop" },
  ],
});

const named = templateDefinitionSchema.parse({
  id: "2",
  name: "appointment_reminder",
  language: "en",
  status: "APPROVED",
  parameter_format: "NAMED",
  components: [{ type: "body", text: "Hello {{first_name}}, see you on {{date}}." }],
});

const withMedia: TemplateDefinition = templateDefinitionSchema.parse({
  id: "3",
  name: "new_collection",
  language: "en_US",
  status: "APPROVED",
  category: "MARKETING",
  components: [
    { type: "HEADER", format: "IMAGE" },
    { type: "BODY", text: "Our {{1}} collection is here." },
    {
      type: "BUTTONS",
      buttons: [
        { type: "QUICK_REPLY", text: "Show me" },
        { type: "URL", text: "Open the shop", url: "https://shop.example/c/{{1}}" },
      ],
    },
  ],
});

describe("template variables", () => {
  it("lists positional and named variables once, in order", () => {
    expect(listVariables("Hi {{1}}, order {{2}}, bye {{1}}")).toEqual(["1", "2"]);
    expect(listVariables("Hello {{ first_name }} on {{date}}")).toEqual(["first_name", "date"]);
    expect(listVariables(undefined)).toEqual([]);
  });

  it("asks for header media and a URL button's variable, not for quick replies", () => {
    expect(listTemplateFields(withMedia).map((f) => f.key)).toEqual(["header:media", "body:1", "button:1"]);
  });

  it("refuses empty values, non-https media and line breaks", () => {
    expect(validateTemplateValues(positional, { "body:1": "Ada" })).toEqual({ "body:2": "Required" });
    expect(validateTemplateValues(withMedia, { "header:media": "ftp://x", "body:1": "a\nb", "button:1": "x" })).toEqual({
      "header:media": "Must be an https:// link",
      "body:1": "No line breaks, tabs or long runs of spaces",
    });
  });
});

describe("template send payloads", () => {
  it("positional: body parameters in order", () => {
    expect(buildTemplatePayload(positional, { "body:1": "Ada", "body:2": "#1234" })).toEqual({
      name: "order_update",
      language: { code: "en_US" },
      components: [
        {
          type: "body",
          parameters: [
            { type: "text", text: "Ada" },
            { type: "text", text: "#1234" },
          ],
        },
      ],
    });
    expect(renderTemplateText(positional, { "body:1": "Ada", "body:2": "#1234" })).toBe(
      "Hi Ada, your order #1234 has shipped. Thanks, Ada!\n\nTandem Demo Shop",
    );
  });

  it("named: parameter_name on each parameter", () => {
    expect(buildTemplatePayload(named, { "body:first_name": "Ada", "body:date": "Friday" }).components).toEqual([
      {
        type: "body",
        parameters: [
          { type: "text", parameter_name: "first_name", text: "Ada" },
          { type: "text", parameter_name: "date", text: "Friday" },
        ],
      },
    ]);
  });

  it("media header, URL button and quick-reply payloads", () => {
    const payload = buildTemplatePayload(withMedia, {
      "header:media": "https://cdn.example/summer.jpg",
      "body:1": "summer",
      "button:1": "summer-2026",
    });
    expect(payload.components).toEqual([
      { type: "header", parameters: [{ type: "image", image: { link: "https://cdn.example/summer.jpg" } }] },
      { type: "body", parameters: [{ type: "text", text: "summer" }] },
      { type: "button", sub_type: "quick_reply", index: "0", parameters: [{ type: "payload", payload: "Show me" }] },
      { type: "button", sub_type: "url", index: "1", parameters: [{ type: "text", text: "summer-2026" }] },
    ]);
  });

  it("a template without variables sends no components", () => {
    const plain = templateDefinitionSchema.parse({
      id: "4",
      name: "hello",
      language: "en",
      status: "APPROVED",
      components: [{ type: "BODY", text: "Hello!" }],
    });
    expect(buildTemplatePayload(plain, {})).toEqual({ name: "hello", language: { code: "en" } });
  });
});
