import { z } from "zod";
import { mediaEnvSchema, parseEnv, sharedEnvSchema } from "./shared";

const schema = sharedEnvSchema.merge(mediaEnvSchema).extend({
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  // Concurrent batch loops applying webhook events (each one transaction of up to 50 events).
  WEBHOOK_PROCESSOR_LOOPS: z.coerce.number().int().min(1).max(16).default(2),
  // Most webhook events one loop claims per transaction: plain texts are applied together.
  WEBHOOK_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(200),
  // PostgreSQL connections per worker process; unset, one per job and loop plus two.
  WORKER_DB_POOL_SIZE: z.coerce.number().int().min(2).max(200).optional(),
  // Scheduling priority of the worker (nice, 0-19): higher yields the CPU to the web process's intake.
  WORKER_NICENESS: z.coerce.number().int().min(0).max(19).default(10),
});

export const workerEnv = () => parseEnv(schema, process.env);
