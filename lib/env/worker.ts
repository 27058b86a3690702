import { z } from "zod";
import { parseEnv, sharedEnvSchema } from "./shared";

const schema = sharedEnvSchema.extend({
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
});

export const workerEnv = () => parseEnv(schema, process.env);
