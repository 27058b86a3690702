import { z } from "zod";
import { route, uuidParam } from "@/lib/http/route";
import { listNumberMembers } from "@/lib/services/numbers/list-number-members";

export const GET = route({ auth: "user", params: z.object({ id: uuidParam }) }, async ({ ctx, params }) => ({
  members: await listNumberMembers({ ctx, input: { numberId: params.id } }),
}));
