import { z } from "zod";
import { parseEnv } from "./shared";

/**
 * What the web process's own server reads before Next.js starts (the app's variables are in
 * web.ts): where to listen and how many processes share the port.
 */
const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  WEB_HOST: z.string().default("127.0.0.1"),
  // Processes serving the web app behind the one port (production only; development runs one).
  TANDEM_WEB_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
});

export const webServerEnv = () => parseEnv(schema, process.env);
