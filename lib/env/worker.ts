import { z } from "zod";
import { parseEnv, sharedEnvSchema } from "./shared";

const schema = sharedEnvSchema.extend({
  TANDEM_MEDIA_DIR: z.string().default(".data/media"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  // Concurrent batch loops applying webhook events (each one transaction of up to 50 events).
  WEBHOOK_PROCESSOR_LOOPS: z.coerce.number().int().min(1).max(16).default(2),
});

export const workerEnv = () => parseEnv(schema, process.env);
