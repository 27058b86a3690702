import { z } from "zod";
import { parseEnv } from "./shared";

const port = z.coerce.number().int().min(1).max(65535);

/** What the launcher reads; it derives every other process's environment from it. */
const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  AUTH_SECRET: z.string().min(16).optional(),
  PORT: port.default(3000),
  REALTIME_PORT: port.default(3001),
  SANDBOX_PORT: port.default(3002),
  EMBEDDED_POSTGRES_PORT: port.default(54329),
  TANDEM_DATA_DIR: z.string().default(".data"),
  TANDEM_PUBLIC_URL: z.string().url().optional(),
  META_APP_ID: z.string().default(""),
  META_APP_SECRET: z.string().optional(),
  META_CONFIG_ID: z.string().default(""),
  META_VERIFY_TOKEN: z.string().optional(),
  META_GRAPH_URL: z.string().url().default("https://graph.facebook.com"),
  META_GRAPH_VERSION: z.string().default("v24.0"),
  TANDEM_ADMIN_EMAIL: z.string().optional(),
  TANDEM_ADMIN_PASSWORD: z.string().optional(),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).default(8),
  // How many processes of each kind this machine runs; web and realtime share their port.
  TANDEM_WEB_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  TANDEM_REALTIME_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  TANDEM_WORKER_PROCESSES: z.coerce.number().int().min(0).max(64).default(1),
});

export const launcherEnv = () => parseEnv(schema, process.env);
