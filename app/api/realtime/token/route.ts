import { findUserById } from "@/db/queries/users";
import { webEnv } from "@/lib/env/web";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { mintRealtimeToken } from "@/lib/realtime/token";

/** A short-lived token the browser presents to the realtime sidecar, plus where to find it. */
export const POST = route({ auth: "user" }, async ({ ctx }) => {
  const env = webEnv();
  const user = await findUserById(ctx.db, ctx.actor.userId);
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in to continue.");
  const token = await mintRealtimeToken({ userId: user.id, sessionVersion: user.sessionVersion, secret: env.AUTH_SECRET });
  return { token, url: env.REALTIME_PUBLIC_URL };
});
