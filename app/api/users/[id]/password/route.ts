import { z } from "zod";
import { route, uuidParam } from "@/lib/http/route";
import { resetPassword, resetPasswordSchema } from "@/lib/services/users/set-password";

export const POST = route(
  { auth: "admin", params: z.object({ id: uuidParam }), body: resetPasswordSchema },
  ({ ctx, params, body }) => resetPassword({ ctx, input: { userId: params.id, password: body.password } }),
);
