import { route } from "@/lib/http/route";
import { createInvite, inviteSchema } from "@/lib/services/users/create-invite";

/**
 * The link uses the host the admin's browser used (behind a proxy, the forwarded one), so it works
 * under whatever name the team reaches Tandem; Next.js's own request URL says localhost.
 */
function originOf(req: Request) {
  const url = new URL(req.url);
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? url.host;
  const proto = req.headers.get("x-forwarded-proto") ?? url.protocol.replace(":", "");
  return `${proto}://${host}`;
}

export const POST = route({ auth: "admin", body: inviteSchema }, async ({ ctx, body, req }) => {
  const { invite, token } = await createInvite({ ctx, input: body });
  return Response.json({ invite, url: `${originOf(req)}/invite/${token}` }, { status: 201 });
});
