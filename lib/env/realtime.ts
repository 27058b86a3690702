import { z } from "zod";
import { parseEnv, sharedEnvSchema } from "./shared";

const schema = sharedEnvSchema.pick({ DATABASE_URL: true, AUTH_SECRET: true }).extend({
  REALTIME_PORT: z.coerce.number().int().default(3001),
  REALTIME_HOST: z.string().default("127.0.0.1"),
  // Origins allowed to open a socket (the web app's public URL).
  WEB_ORIGIN: z.string().default("http://127.0.0.1:3000"),
  // Sidecar processes sharing REALTIME_PORT on this machine.
  TANDEM_REALTIME_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  // PostgreSQL connections per sidecar process (LISTEN, access checks, notice reads).
  REALTIME_DB_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(5),
});

export const realtimeEnv = () => parseEnv(schema, process.env);
