import { webEnv } from "@/lib/env/web";
import { route } from "@/lib/http/route";
import { mintRealtimeToken } from "@/lib/realtime/token";

/** A short-lived token the browser presents to the realtime sidecar, plus where to find it. */
export const POST = route({ auth: "user" }, async ({ ctx }) => {
  const env = webEnv();
  const token = await mintRealtimeToken({ userId: ctx.actor.userId, secret: env.AUTH_SECRET });
  return { token, url: env.REALTIME_PUBLIC_URL };
});
