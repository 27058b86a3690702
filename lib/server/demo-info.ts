import "server-only";
import { isDemoMode } from "@/lib/env/shared";
import { webEnv } from "@/lib/env/web";

/** What the top bar shows in demo mode: null with a real Meta app, else where the phone simulator is. */
export function getDemoInfo() {
  const env = webEnv();
  if (!isDemoMode(env)) return null;
  return { simulatorUrl: env.SANDBOX_PUBLIC_URL ? `${env.SANDBOX_PUBLIC_URL.replace(/\/+$/, "")}/phone` : null };
}
