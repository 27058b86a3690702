import "server-only";
import { isDemoMode } from "@/lib/env/shared";
import { webEnv } from "@/lib/env/web";

/** Demo mode's banner in the top bar: where the phone simulator is. Null with a real Meta app. */
export function getDemoInfo(): { simulatorUrl: string | null } | null {
  const env = webEnv();
  if (!isDemoMode(env)) return null;
  return { simulatorUrl: env.SANDBOX_PUBLIC_URL ? `${env.SANDBOX_PUBLIC_URL.replace(/\/+$/, "")}/phone` : null };
}
