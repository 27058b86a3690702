import "server-only";
import { z } from "zod";
import { mediaEnvSchema, parseEnv, sharedEnvSchema } from "./shared";

const schema = sharedEnvSchema.merge(mediaEnvSchema).extend({
  META_VERIFY_TOKEN: z.string().min(1),
  META_CONFIG_ID: z.string().optional().default(""),
  REALTIME_PUBLIC_URL: z.string().url().default("http://127.0.0.1:3001"),
  SANDBOX_PUBLIC_URL: z.string().url().optional(),
  // Embedded Signup (real Meta app; demo mode uses the sandbox's SDK, origin, app and configuration).
  META_SDK_URL: z.string().url().default("https://connect.facebook.net/en_US/sdk.js"),
  META_SIGNUP_ORIGIN: z.string().url().default("https://www.facebook.com"),
  META_SIGNUP_EXTRAS: z
    .string()
    .default('{"setup":{},"featureType":"whatsapp_business_app_onboarding","sessionInfoVersion":"3"}')
    .transform((raw, ctx) => {
      try {
        return z.record(z.string(), z.unknown()).parse(JSON.parse(raw));
      } catch {
        ctx.addIssue({ code: "custom", message: "META_SIGNUP_EXTRAS must be a JSON object" });
        return z.NEVER;
      }
    }),
  // PostgreSQL connections per web process for pages and the API (and the intake under `next dev`).
  WEB_DB_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(20),
  // The production server's webhook intake has a pool of its own, so page and API reads cannot
  // hold the connections acknowledgements need.
  WEB_INTAKE_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  HISTORY_STALE_MINUTES: z.coerce.number().positive().default(60),
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
