import { z } from "zod";
import { route, uuidParam } from "@/lib/http/route";
import { updateNumberSettings } from "@/lib/services/numbers/update-number-settings";

export const PATCH = route(
  { auth: "admin", params: z.object({ id: uuidParam }), body: z.object({ autoAssignOnReply: z.boolean() }) },
  async ({ ctx, params, body }) => ({ number: await updateNumberSettings({ ctx, input: { numberId: params.id, ...body } }) }),
);
