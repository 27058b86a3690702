import { route } from "@/lib/http/route";
import { acceptInvite, acceptInviteSchema } from "@/lib/services/users/accept-invite";

/** Public: the token in the body is the credential. */
export const POST = route({ auth: "public", body: acceptInviteSchema }, async ({ ctx, body }) => {
  const user = await acceptInvite({ ctx, input: body });
  return Response.json({ user: { id: user.id, email: user.email, name: user.name } }, { status: 201 });
});
