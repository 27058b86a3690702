import { z } from "zod";
import { type Route, readValidJson, sendJson } from "./http";
import type { SendLimits } from "./send-limits";

/**
 * Test switches for the send path: `POST /sandbox/api/send-faults` makes the next sends fail with a
 * Graph error code, `POST /sandbox/api/hold-next-send` holds the next send's answer (the message is
 * still accepted), `GET /sandbox/api/sends` lists every send attempt with its time and outcome.
 */
const faultSchema = z.object({ code: z.number().int().positive(), count: z.number().int().min(1).max(1000).default(1) });
const holdSchema = z.object({ ms: z.number().int().min(1).max(120_000) });

export function createSendControlRoutes(limits: SendLimits): Route {
  return async (req, res, url) => {
    if (url.pathname === "/sandbox/api/send-faults" && req.method === "POST") {
      const body = await readValidJson(req, res, faultSchema);
      if (!body) return true;
      limits.injectFault(body.code, body.count);
      sendJson(res, 200, { ok: true });
      return true;
    }
    if (url.pathname === "/sandbox/api/hold-next-send" && req.method === "POST") {
      const body = await readValidJson(req, res, holdSchema);
      if (!body) return true;
      limits.holdNextResponse(body.ms);
      sendJson(res, 200, { ok: true });
      return true;
    }
    if (url.pathname === "/sandbox/api/sends" && req.method === "GET") {
      sendJson(res, 200, { attempts: limits.attempts() });
      return true;
    }
    return false;
  };
}
