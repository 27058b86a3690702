import { z } from "zod";
import { route, uuidParam } from "@/lib/http/route";
import { memberPatchSchema, updateMember } from "@/lib/services/users/update-member";

export const PATCH = route(
  { auth: "admin", params: z.object({ id: uuidParam }), body: memberPatchSchema },
  async ({ ctx, params, body }) => ({ member: await updateMember({ ctx, input: { userId: params.id, ...body } }) }),
);
