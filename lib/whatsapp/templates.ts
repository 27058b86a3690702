import type { TemplateDefinition } from "./template-schema";

export type { TemplateDefinition };

/**
 * Message templates: Meta's definition (as listed by GET /{waba_id}/message_templates), the inputs
 * an agent must fill, the send payload, and the text the customer will read. Pure, and free of zod:
 * the browser uses it, and zod's schemas probe `new Function`, which the CSP refuses.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/components
 */

/** One input the agent fills: a variable of the header or body, a button's variable, or header media. */
export type TemplateField =
  | { key: string; kind: "text"; component: "header" | "body"; name: string; label: string }
  | { key: string; kind: "button"; index: number; subType: "url" | "quick_reply"; name: string; label: string }
  | { key: string; kind: "media"; format: "image" | "video" | "document"; label: string };

const variablePattern = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Variable names in order of first appearance: "1", "2" (positional) or "first_name" (named). */
export function listVariables(text: string | undefined): string[] {
  if (!text) return [];
  const names: string[] = [];
  for (const match of text.matchAll(variablePattern)) if (!names.includes(match[1]!)) names.push(match[1]!);
  return names;
}

export const isNamed = (template: Pick<TemplateDefinition, "parameter_format" | "components">) =>
  template.parameter_format?.toUpperCase() === "NAMED" ||
  template.components.some((c) => listVariables(c.text).some((name) => !/^\d+$/.test(name)));

const find = (template: TemplateDefinition, type: string) => template.components.find((c) => c.type === type);

export function listTemplateFields(template: TemplateDefinition): TemplateField[] {
  const fields: TemplateField[] = [];
  const header = find(template, "HEADER");
  const format = header?.format?.toUpperCase();
  if (format === "IMAGE" || format === "VIDEO" || format === "DOCUMENT") {
    const media = format.toLowerCase() as "image" | "video" | "document";
    fields.push({ key: "header:media", kind: "media", format: media, label: `Header ${media} (https link)` });
  } else {
    for (const name of listVariables(header?.text))
      fields.push({ key: `header:${name}`, kind: "text", component: "header", name, label: `Header {{${name}}}` });
  }
  for (const name of listVariables(find(template, "BODY")?.text))
    fields.push({ key: `body:${name}`, kind: "text", component: "body", name, label: `{{${name}}}` });
  find(template, "BUTTONS")?.buttons?.forEach((button, index) => {
    // A URL button with a variable needs its value; quick replies carry an optional payload Tandem fills.
    if (button.type.toUpperCase() === "URL" && listVariables(button.url).length > 0)
      fields.push({
        key: `button:${index}`,
        kind: "button",
        index,
        subType: "url",
        name: "1",
        label: `Link of "${button.text}"`,
      });
  });
  return fields;
}

export type TemplateValues = Record<string, string>;

/** Problems with the agent's values, by field key; empty when the template can be sent. */
export function validateTemplateValues(template: TemplateDefinition, values: TemplateValues): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of listTemplateFields(template)) {
    const value = (values[field.key] ?? "").trim();
    if (!value) {
      problems[field.key] = "Required";
      continue;
    }
    if (field.kind === "media" && !/^https:\/\/\S+$/.test(value)) problems[field.key] = "Must be an https:// link";
    // Meta refuses variables with newlines, tabs or more than four spaces in a row (132012).
    if (field.kind !== "media" && (/[\n\t]/.test(value) || / {5,}/.test(value)))
      problems[field.key] = "No line breaks, tabs or long runs of spaces";
    if (field.kind !== "media" && value.length > 1024) problems[field.key] = "At most 1024 characters";
  }
  return problems;
}

const fill = (text: string, values: TemplateValues, prefix: string) =>
  text.replace(variablePattern, (whole, name: string) => values[`${prefix}:${name}`]?.trim() || whole);

/** The message as the customer will read it: header, body, footer and button labels, filled in. */
export function renderTemplate(template: TemplateDefinition, values: TemplateValues) {
  const header = find(template, "HEADER");
  const format = header?.format?.toUpperCase();
  return {
    header: format && format !== "TEXT" ? null : header?.text ? fill(header.text, values, "header") : null,
    media: format && format !== "TEXT" ? { format: format.toLowerCase(), link: values["header:media"]?.trim() || null } : null,
    body: fill(find(template, "BODY")?.text ?? "", values, "body"),
    footer: find(template, "FOOTER")?.text ?? null,
    buttons: (find(template, "BUTTONS")?.buttons ?? []).map((b) => b.text),
  };
}

/** Text stored with the sent message and shown in the bubble and the list preview. */
export function renderTemplateText(template: TemplateDefinition, values: TemplateValues) {
  const r = renderTemplate(template, values);
  return [r.header, r.body, r.footer].filter(Boolean).join("\n\n");
}

/** The `template` object of the send (Meta's wire format), positional or named parameters. */
export function buildTemplatePayload(template: TemplateDefinition, values: TemplateValues) {
  const named = isNamed(template);
  const textParameter = (key: string, name: string) => ({
    type: "text",
    ...(named ? { parameter_name: name } : {}),
    text: values[key]!.trim(),
  });
  const fields = listTemplateFields(template);
  const components: Record<string, unknown>[] = [];
  const media = fields.find((f) => f.kind === "media");
  const headerText = fields.filter((f) => f.kind === "text" && f.component === "header");
  if (media && media.kind === "media")
    components.push({
      type: "header",
      parameters: [{ type: media.format, [media.format]: { link: values[media.key]!.trim() } }],
    });
  else if (headerText.length > 0)
    components.push({ type: "header", parameters: headerText.map((f) => textParameter(f.key, f.kind === "text" ? f.name : "")) });
  const body = fields.filter((f) => f.kind === "text" && f.component === "body");
  if (body.length > 0)
    components.push({ type: "body", parameters: body.map((f) => textParameter(f.key, f.kind === "text" ? f.name : "")) });
  // Each button's component, in button order: a URL button's variable, a quick reply's payload. The
  // payload comes back in the customer's `button` message; Tandem uses the label, as the bubble shows it.
  find(template, "BUTTONS")?.buttons?.forEach((button, index) => {
    const field = fields.find((f) => f.kind === "button" && f.index === index);
    if (field)
      components.push({
        type: "button",
        sub_type: "url",
        index: String(index),
        parameters: [{ type: "text", text: values[field.key]!.trim() }],
      });
    else if (button.type.toUpperCase() === "QUICK_REPLY")
      components.push({
        type: "button",
        sub_type: "quick_reply",
        index: String(index),
        parameters: [{ type: "payload", payload: button.text }],
      });
  });
  return {
    name: template.name,
    language: { code: template.language },
    ...(components.length > 0 ? { components } : {}),
  };
}
