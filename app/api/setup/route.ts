import { route } from "@/lib/http/route";
import { createFirstAdmin, newUserSchema } from "@/lib/services/users/create-first-admin";

/** First run: creates the first admin while no user exists. */
export const POST = route({ auth: "public", body: newUserSchema }, async ({ ctx, body }) => {
  const user = await createFirstAdmin({ ctx, input: body });
  return { user };
});
