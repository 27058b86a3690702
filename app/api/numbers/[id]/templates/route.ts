import { z } from "zod";
import { webEnv } from "@/lib/env/web";
import { route, uuidParam } from "@/lib/http/route";
import { getGraph } from "@/lib/server/graph";
import { listSendableTemplates } from "@/lib/services/templates/list-templates";

export const GET = route({ auth: "user", params: z.object({ id: uuidParam }) }, async ({ ctx, params }) => ({
  templates: await listSendableTemplates({
    ctx: { ...ctx, secret: webEnv().AUTH_SECRET },
    input: { numberId: params.id, graph: getGraph() },
  }),
}));
