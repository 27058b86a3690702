import { listLabels } from "@/db/queries/labels";
import { route } from "@/lib/http/route";
import { createLabel, labelSchema } from "@/lib/services/labels/save-label";

export const GET = route({ auth: "user" }, async ({ ctx }) => ({ labels: await listLabels(ctx.db) }));

export const POST = route({ auth: "admin", body: labelSchema }, async ({ ctx, body }) => ({
  label: await createLabel({ ctx, input: body }),
}));
