import { z } from "zod";

/**
 * A template as GET /{waba_id}/message_templates lists it (the fields Tandem reads; others are kept).
 * Server-side only: the browser imports the inferred type, never the schema.
 */
const buttonSchema = z.looseObject({
  type: z.string(),
  text: z.string().default(""),
  url: z.string().optional(),
  example: z.array(z.string()).optional(),
});

export const templateComponentSchema = z.looseObject({
  type: z.string().transform((t) => t.toUpperCase()),
  format: z.string().optional(),
  text: z.string().optional(),
  buttons: z.array(buttonSchema).optional(),
});

export const templateDefinitionSchema = z.looseObject({
  id: z.string(),
  name: z.string().min(1),
  language: z.string().min(1),
  status: z.string(),
  category: z.string().default("UTILITY"),
  parameter_format: z.string().optional(),
  rejected_reason: z.string().optional(),
  components: z.array(templateComponentSchema).default([]),
});
export type TemplateDefinition = z.infer<typeof templateDefinitionSchema>;
