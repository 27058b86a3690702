import { z } from "zod";
import { type Route, readValidJson, sendJson } from "./http";
import type { MediaStore } from "./media";
import type { SendLimits } from "./send-limits";

/**
 * Test switches for the send path: `POST /sandbox/api/send-faults` makes the next sends fail with a
 * Graph error code, `POST /sandbox/api/hold-next-send` holds the next send's answer (the message is
 * still accepted), `GET /sandbox/api/sends` lists every send attempt with its time and outcome.
 * And for media downloads: `POST /sandbox/api/media-faults` makes the next requests to the media
 * endpoint (`info`) or to a download URL (`download`) answer an HTTP status (an expired URL's 404, a 503).
 */
const faultSchema = z.object({ code: z.number().int().positive(), count: z.number().int().min(1).max(1000).default(1) });
const holdSchema = z.object({ ms: z.number().int().min(1).max(120_000) });
const mediaFaultSchema = z.object({
  target: z.enum(["info", "download"]),
  status: z.number().int().min(400).max(599),
  count: z.number().int().min(1).max(1000).default(1),
});

export function createSendControlRoutes(limits: SendLimits, media: MediaStore): Route {
  return async (req, res, url) => {
    if (url.pathname === "/sandbox/api/media-faults" && req.method === "POST") {
      const body = await readValidJson(req, res, mediaFaultSchema);
      if (!body) return true;
      media.injectFault(body.target, body.status, body.count);
      sendJson(res, 200, { ok: true });
      return true;
    }
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
