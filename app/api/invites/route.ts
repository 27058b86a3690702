import { route } from "@/lib/http/route";
import { createInvite, inviteSchema } from "@/lib/services/users/create-invite";

/** The link is built from the request's own origin, so it works behind any host name the admin used. */
export const POST = route({ auth: "admin", body: inviteSchema }, async ({ ctx, body, req }) => {
  const { invite, token } = await createInvite({ ctx, input: body });
  const url = new URL(`/invite/${token}`, new URL(req.url).origin).toString();
  return Response.json({ invite, url }, { status: 201 });
});
