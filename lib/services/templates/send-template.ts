import { and, eq } from "drizzle-orm";
import { conversations, numbers, templates } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { templateDefinitionSchema } from "@/lib/whatsapp/template-schema";
import { buildTemplatePayload, renderTemplateText, type TemplateValues, validateTemplateValues } from "@/lib/whatsapp/templates";
import type { Ctx, UserActor } from "../context";
import { queueOutbound } from "../messages/send-message";

/**
 * Queues an approved template for a conversation, open window or not. Values are checked against
 * the stored definition; the message keeps the filled text so the bubble shows what the customer reads.
 */
export async function sendTemplate({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: { conversationId: string; clientKey: string; templateId: string; values: TemplateValues };
}) {
  const [row] = await ctx.db
    .select({ template: templates })
    .from(conversations)
    .innerJoin(numbers, eq(numbers.id, conversations.numberId))
    .innerJoin(templates, and(eq(templates.wabaId, numbers.wabaId), eq(templates.id, input.templateId)))
    .where(eq(conversations.id, input.conversationId));
  // Access to the conversation is checked by queueOutbound; a template of another WABA is simply unknown.
  if (!row) throw new AppError("NOT_FOUND", "This template does not exist for this number: sync the templates.");
  const { template } = row;
  if (template.status !== "APPROVED")
    throw new AppError("CONFLICT", `The template ${template.name} is ${template.status.toLowerCase()}, not approved.`);
  if (template.category === "AUTHENTICATION")
    throw new AppError("VALIDATION", "Authentication templates carry one-time codes and cannot be sent from the inbox.");
  const definition = templateDefinitionSchema.parse(template.definition);
  const problems = validateTemplateValues(definition, input.values);
  const first = Object.entries(problems)[0];
  if (first) throw new AppError("VALIDATION", `Template value ${first[0]}: ${first[1]}.`);

  const text = renderTemplateText(definition, input.values);
  return queueOutbound({
    ctx,
    input: {
      conversationId: input.conversationId,
      clientKey: input.clientKey,
      replyToWamid: null,
      draft: {
        type: "template",
        origin: "template",
        body: text,
        content: { template: buildTemplatePayload(definition, input.values) },
        needsWindow: false,
        preview: text,
      },
    },
  });
}
