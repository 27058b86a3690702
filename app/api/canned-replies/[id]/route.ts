import { z } from "zod";
import { route, uuidParam } from "@/lib/http/route";
import {
  cannedReplyBodySchema,
  deleteCannedReply,
  shortcutSchema,
  updateCannedReply,
} from "@/lib/services/canned-replies/canned-replies";

const params = z.object({ id: uuidParam });

const patchSchema = z
  .object({ shortcut: shortcutSchema.optional(), body: cannedReplyBodySchema.optional() })
  .refine((b) => b.shortcut !== undefined || b.body !== undefined, "Give a shortcut or a body");

export const PATCH = route({ auth: "admin", params, body: patchSchema }, async ({ ctx, params, body }) => ({
  cannedReply: await updateCannedReply({ ctx, input: { id: params.id, ...body } }),
}));

export const DELETE = route({ auth: "admin", params }, async ({ ctx, params }) => ({
  cannedReply: await deleteCannedReply({ ctx, input: { id: params.id } }),
}));
