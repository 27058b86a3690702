import { z } from "zod";
import { parseEnv, sharedEnvSchema } from "./shared";

const schema = sharedEnvSchema.extend({
  TANDEM_MEDIA_DIR: z.string().default(".data/media"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
});

export const workerEnv = () => parseEnv(schema, process.env);
