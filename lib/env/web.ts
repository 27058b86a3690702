import "server-only";
import { z } from "zod";
import { parseEnv, sharedEnvSchema } from "./shared";

const schema = sharedEnvSchema.extend({
  TANDEM_MEDIA_DIR: z.string().default(".data/media"),
  META_VERIFY_TOKEN: z.string().min(1),
  META_CONFIG_ID: z.string().optional().default(""),
  REALTIME_PUBLIC_URL: z.string().url().default("http://127.0.0.1:3001"),
  SANDBOX_PUBLIC_URL: z.string().url().optional(),
  // Bearer token that opens GET /api/metrics; unset, metrics are off.
  TANDEM_METRICS_TOKEN: z.string().min(16, "TANDEM_METRICS_TOKEN must be at least 16 characters").optional(),
  // The web app's public URL (set by the launcher from TANDEM_PUBLIC_URL): same-origin checks, cookies.
  NEXTAUTH_URL: z.string().url().optional(),
  // Set by Next.js itself: development allows what React's dev tooling needs (eval) in the CSP.
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
});

let cached: z.infer<typeof schema> | undefined;

/** The web process's environment, read lazily so `next build` needs none of it. */
export function webEnv() {
  cached ??= parseEnv(schema, process.env);
  return cached;
}
