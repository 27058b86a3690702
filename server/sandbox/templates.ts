import { z } from "zod";
import { GraphError } from "./graph-errors";

/**
 * The sandbox WABA's message templates, in the shape GET /{waba_id}/message_templates answers, and
 * the checks Meta makes when one is sent (132001 unknown or not approved, 132000 parameter count).
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/overview
 */

export type SandboxTemplate = {
  id: string;
  name: string;
  language: string;
  status: "APPROVED" | "PENDING" | "REJECTED" | "PAUSED" | "DISABLED";
  category: "UTILITY" | "MARKETING" | "AUTHENTICATION";
  parameter_format?: "POSITIONAL" | "NAMED";
  rejected_reason?: string;
  components: Record<string, unknown>[];
};

export const sandboxTemplates: SandboxTemplate[] = [
  {
    id: "810000000000001",
    name: "order_update",
    language: "en_US",
    status: "APPROVED",
    category: "UTILITY",
    parameter_format: "POSITIONAL",
    components: [
      { type: "HEADER", format: "TEXT", text: "Order update" },
      {
        type: "BODY",
        text: "Hi {{1}}, your order {{2}} has shipped and should arrive within {{3}} days.",
        example: { body_text: [["Ada", "#1234", "3"]] },
      },
      { type: "FOOTER", text: "Tandem Demo Shop" },
    ],
  },
  {
    id: "810000000000002",
    name: "appointment_reminder",
    language: "en",
    status: "APPROVED",
    category: "UTILITY",
    parameter_format: "NAMED",
    components: [
      {
        type: "BODY",
        text: "Hello {{first_name}}, this is a reminder of your fitting on {{date}}. Reply to change it.",
        example: {
          body_text_named_params: [
            { param_name: "first_name", example: "Ada" },
            { param_name: "date", example: "Friday 10:00" },
          ],
        },
      },
    ],
  },
  {
    id: "810000000000003",
    name: "new_collection",
    language: "en_US",
    status: "APPROVED",
    category: "MARKETING",
    parameter_format: "POSITIONAL",
    components: [
      { type: "HEADER", format: "IMAGE", example: { header_handle: ["https://example.com/collection.jpg"] } },
      { type: "BODY", text: "Our {{1}} collection has just arrived. Want a first look?", example: { body_text: [["summer"]] } },
      {
        type: "BUTTONS",
        buttons: [
          { type: "QUICK_REPLY", text: "Show me" },
          { type: "QUICK_REPLY", text: "Not now" },
        ],
      },
    ],
  },
  {
    id: "810000000000004",
    name: "follow_up",
    language: "en_US",
    status: "APPROVED",
    category: "UTILITY",
    parameter_format: "POSITIONAL",
    components: [{ type: "BODY", text: "Hi {{1}}, we have an answer to your last question. Reply to this message to continue." }],
  },
  {
    id: "810000000000005",
    name: "welcome_back",
    language: "es",
    status: "PENDING",
    category: "MARKETING",
    components: [{ type: "BODY", text: "¡Hola {{1}}! Te echamos de menos." }],
  },
  {
    id: "810000000000006",
    name: "flash_sale",
    language: "en_US",
    status: "REJECTED",
    category: "MARKETING",
    rejected_reason: "PROMOTIONAL",
    components: [{ type: "BODY", text: "Everything must go! 90% off today only." }],
  },
  {
    id: "810000000000007",
    name: "login_code",
    language: "en_US",
    status: "APPROVED",
    category: "AUTHENTICATION",
    components: [
      { type: "BODY", text: "{{1}} is your verification code.", add_security_recommendation: true },
      {
        type: "BUTTONS",
        buttons: [{ type: "URL", text: "Copy code", url: "https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}" }],
      },
    ],
  },
];

const pageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(25),
  after: z.string().optional(),
});

/** One page of the list, with Meta's cursor paging (`after` is the index, base64). */
export function listTemplatesPage(templates: SandboxTemplate[], query: URLSearchParams, selfUrl: string) {
  const { limit, after } = pageSchema.parse(Object.fromEntries(query));
  const start = after ? Number(Buffer.from(after, "base64url").toString()) || 0 : 0;
  const data = templates.slice(start, start + limit);
  const cursor = (i: number) => Buffer.from(String(i)).toString("base64url");
  const hasMore = start + limit < templates.length;
  const next = new URL(selfUrl);
  next.searchParams.set("after", cursor(start + limit));
  return {
    data,
    paging: {
      cursors: { before: cursor(start), after: cursor(start + data.length) },
      ...(hasMore ? { next: next.toString() } : {}),
    },
  };
}

const sentSchema = z.looseObject({
  name: z.string(),
  language: z.looseObject({ code: z.string() }),
  components: z
    .array(
      z.looseObject({
        type: z.string(),
        parameters: z
          .array(z.looseObject({ type: z.string(), text: z.string().optional(), parameter_name: z.string().optional() }))
          .optional(),
      }),
    )
    .optional(),
});

const variables = (text: unknown) =>
  typeof text === "string" ? [...new Set([...text.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1]!))] : [];

/** Checks a sent template against its definition like Meta, and returns the text the phone shows. */
export function checkTemplateSend(templates: SandboxTemplate[], raw: unknown): string {
  const sent = sentSchema.parse(raw);
  const template = templates.find((t) => t.name === sent.name && t.language === sent.language.code);
  if (template?.status !== "APPROVED") {
    throw new GraphError({
      status: 404,
      message: "(#132001) Template name does not exist in the translation",
      type: "OAuthException",
      code: 132001,
      details: `template name (${sent.name}) does not exist in ${sent.language.code}`,
    });
  }
  const parts: string[] = [];
  for (const component of template.components) {
    const type = String(component.type).toLowerCase();
    if (type !== "header" && type !== "body" && type !== "footer") continue;
    const text = component.text;
    if (typeof text !== "string") {
      const media = sent.components?.find((c) => c.type === "header")?.parameters?.[0];
      parts.push(`[${String(component.format ?? "media").toLowerCase()}${media ? "" : " missing"}]`);
      continue;
    }
    const expected = variables(text);
    const given = sent.components?.find((c) => c.type.toLowerCase() === type)?.parameters ?? [];
    if (given.length !== expected.length) {
      throw new GraphError({
        status: 400,
        message: "(#132000) Number of parameters does not match the expected number of params",
        type: "OAuthException",
        code: 132000,
        details: `${type}: number of localizable_params (${given.length}) does not match the expected number of params (${expected.length})`,
      });
    }
    parts.push(
      text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_whole, name: string) => {
        const byName = given.find((p) => p.parameter_name === name);
        return (byName ?? given[expected.indexOf(name)])?.text ?? "";
      }),
    );
  }
  return parts.join("\n\n");
}

/** The quick-reply buttons of a sent template, with their index among its buttons. */
export function listQuickReplies(templates: SandboxTemplate[], raw: unknown) {
  const sent = sentSchema.safeParse(raw);
  if (!sent.success) return [];
  const template = templates.find((t) => t.name === sent.data.name && t.language === sent.data.language.code);
  const buttons = (template?.components.find((c) => c.type === "BUTTONS")?.buttons ?? []) as { type: string; text: string }[];
  return buttons.flatMap((b, index) => (b.type === "QUICK_REPLY" ? [{ index, text: b.text }] : []));
}

/**
 * The quick-reply button `index` of a sent template, as the customer taps it: its label, and the
 * payload the send gave it (Meta falls back to the label). Null when there is no such button.
 */
export function findQuickReply(templates: SandboxTemplate[], raw: unknown, index: number) {
  const sent = sentSchema.safeParse(raw);
  if (!sent.success) return null;
  const template = templates.find((t) => t.name === sent.data.name && t.language === sent.data.language.code);
  const buttons = template?.components.find((c) => c.type === "BUTTONS")?.buttons as { type: string; text: string }[] | undefined;
  const button = buttons?.[index];
  if (button?.type !== "QUICK_REPLY") return null;
  const given = sent.data.components?.find(
    (c) => c.type === "button" && c.sub_type === "quick_reply" && String(c.index) === String(index),
  );
  const payload = given?.parameters?.find((p) => p.type === "payload")?.payload;
  return { text: button.text, payload: typeof payload === "string" ? payload : button.text };
}
