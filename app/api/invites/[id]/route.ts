import { z } from "zod";
import { route, uuidParam } from "@/lib/http/route";
import { revokeInvite } from "@/lib/services/users/revoke-invite";

export const DELETE = route({ auth: "admin", params: z.object({ id: uuidParam }) }, ({ ctx, params }) =>
  revokeInvite({ ctx, input: { inviteId: params.id } }),
);
