import { z } from "zod";
import { webEnv } from "@/lib/env/web";
import { route, uuidParam } from "@/lib/http/route";
import { getGraph } from "@/lib/server/graph";
import { assertCanAccessNumber } from "@/lib/services/numbers/access";
import { syncTemplates } from "@/lib/services/templates/sync-templates";

/** Lists the WABA's templates from Meta again (after one was approved or edited in WhatsApp Manager). */
export const POST = route({ auth: "user", params: z.object({ id: uuidParam }) }, async ({ ctx, params }) => {
  await assertCanAccessNumber(ctx, params.id, "NOT_FOUND");
  return syncTemplates({ ctx: { ...ctx, secret: webEnv().AUTH_SECRET }, input: { numberId: params.id, graph: getGraph() } });
});
