/**
 * The web process in production: the built Next.js app (pages, route handlers) on one port, served
 * by TANDEM_WEB_PROCESSES processes, with Meta's webhook POSTs handed straight to the intake (see
 * webhook-door.ts). Development uses `next dev` instead, where the route handler takes them.
 */
import { createServer } from "node:http";
import next from "next";
import { createDb } from "@/db/client";
import { webEnv } from "@/lib/env/web";
import { webServerEnv } from "@/lib/env/web-server";
import { loggerFor } from "@/lib/logger";
import { runClustered } from "../cluster";
import { answerJsonInOneWrite, isApiRequest } from "./json-answer";
import { isWebhookPost, webhookDoor } from "./webhook-door";

const env = webServerEnv();
const log = loggerFor("web");

await runClustered({
  count: env.TANDEM_WEB_PROCESSES,
  log,
  async start() {
    const app = next({ dev: false, hostname: env.WEB_HOST, port: env.PORT });
    await app.prepare();
    const handle = app.getRequestHandler();
    const intake = webhookDoor(createDb(webEnv().DATABASE_URL, { max: webEnv().WEB_INTAKE_DB_POOL_SIZE }));
    const server = createServer((req, res) => {
      if (isWebhookPost(req)) return intake(req, res);
      if (isApiRequest(req)) answerJsonInOneWrite(req, res);
      void handle(req, res);
    });
    server.keepAliveTimeout = env.WEB_KEEP_ALIVE_SECONDS * 1000;
    await new Promise<void>((resolve) => server.listen(env.PORT, env.WEB_HOST, resolve));
    log.info({ url: `http://${env.WEB_HOST}:${env.PORT}` }, "web ready");
    const stop = () => {
      server.close(() => process.exit(0));
      setTimeout(() => process.exit(0), 5_000).unref();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  },
});
