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
  // How long an idle keep-alive connection stays open. A load balancer or reverse proxy in front
  // reuses idle connections until its own idle timeout (AWS ALB 60 s, nginx upstreams 60 s): the
  // server must be the one that waits longer, or a request the proxy sends onto a connection the
  // server is closing fails with a 502. Node's own default is 5 s.
  WEB_KEEP_ALIVE_SECONDS: z.coerce.number().int().min(1).max(3600).default(75),
});

export const webServerEnv = () => parseEnv(schema, process.env);
