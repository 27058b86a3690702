import { z } from "zod";

/** Variables every Tandem process reads. Validated once per process by its own env module. */
export const sharedEnvSchema = z.object({
  DATABASE_URL: z.string().url(),
  AUTH_SECRET: z.string().min(16, "AUTH_SECRET must be at least 16 characters"),
  META_APP_ID: z.string().optional().default(""),
  META_APP_SECRET: z.string().min(1),
  META_GRAPH_URL: z.string().url().default("https://graph.facebook.com"),
  META_GRAPH_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/)
    .default("v24.0"),
});

/** Where media files live: a disk folder, or S3-compatible object storage when a bucket is set. */
export const mediaEnvSchema = z.object({
  TANDEM_MEDIA_DIR: z.string().default(".data/media"),
  TANDEM_S3_BUCKET: z.string().optional(),
  TANDEM_S3_REGION: z.string().default("us-east-1"),
  TANDEM_S3_ENDPOINT: z.string().url().optional(),
  TANDEM_S3_ACCESS_KEY_ID: z.string().optional(),
  TANDEM_S3_SECRET_ACCESS_KEY: z.string().optional(),
});

export function parseEnv<T extends z.ZodType>(schema: T, source: Record<string, string | undefined>): z.infer<T> {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) throw new Error(`Invalid environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Without a Meta app id Tandem talks to the local sandbox (demo mode). */
export const isDemoMode = (env: { META_APP_ID: string }) => env.META_APP_ID === "";
