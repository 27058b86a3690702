import { z } from "zod";
import { parseEnv, sharedEnvSchema } from "./shared";

const schema = sharedEnvSchema.extend({
  TANDEM_MEDIA_DIR: z.string().default(".data/media"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  // Concurrent batch loops applying webhook events (each one transaction of up to 50 events).
  WEBHOOK_PROCESSOR_LOOPS: z.coerce.number().int().min(1).max(16).default(2),
  // Scheduling priority of the worker (nice, 0-19): higher yields the CPU to the web process's intake.
  WORKER_NICENESS: z.coerce.number().int().min(0).max(19).default(10),
});

export const workerEnv = () => parseEnv(schema, process.env);
