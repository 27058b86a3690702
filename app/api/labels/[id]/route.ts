import { z } from "zod";
import { route, uuidParam } from "@/lib/http/route";
import { deleteLabel, labelSchema, updateLabel } from "@/lib/services/labels/save-label";

const params = z.object({ id: uuidParam });
const patchBody = labelSchema.partial().refine((b) => b.name !== undefined || b.color !== undefined, "Give a name or a color");

export const PATCH = route({ auth: "admin", params, body: patchBody }, async ({ ctx, params, body }) => ({
  label: await updateLabel({ ctx, input: { labelId: params.id, ...body } }),
}));

export const DELETE = route({ auth: "admin", params }, async ({ ctx, params }) => {
  await deleteLabel({ ctx, input: { labelId: params.id } });
  return { ok: true };
});
