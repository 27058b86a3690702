import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";

/** Below this, gzip saves less than a packet (the `compression` middleware's default too). */
const GZIP_MIN_BYTES = 1024;

export const isApiRequest = (req: IncomingMessage) => req.url?.startsWith("/api/") === true;

const isJson = (type: unknown) => typeof type === "string" && /^application\/json\s*(;|$)/i.test(type);

type Callback = (error?: Error | null) => void;

/**
 * Makes a JSON answer of Next.js one write on the socket: headers, then the body gzipped when the
 * client accepts it, with its length. Next.js writes an answer in parts (its headers, then the body
 * through its `compression` middleware, which gzips on the thread pool and flushes after every
 * chunk): five writes and three thread-pool round trips for one 28 KB page of the inbox list.
 * Any other answer (media, text) is left to Next.js as it comes, without compression: these are
 * already compressed formats or small. Call it before handing the request to Next.js.
 */
export function answerJsonInOneWrite(req: IncomingMessage, res: ServerResponse) {
  const acceptsGzip = /\bgzip\b/i.test(String(req.headers["accept-encoding"] ?? ""));
  // Next.js's middleware compresses only what the client accepts: here, nothing.
  delete req.headers["accept-encoding"];
  // Node's own, before Next.js's middleware wraps `end` (its wrapper writes the headers at once).
  const { end, flushHeaders } = res;
  // Next.js flushes the headers of an answer with a body just before its first chunk: by then the
  // type is set, and the middleware's wrappers are in place, so they are replaced here.
  res.flushHeaders = function (this: ServerResponse) {
    if (req.method === "HEAD" || res.headersSent || !isJson(res.getHeader("content-type"))) return flushHeaders.call(this);
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown, encoding: unknown) => {
      if (typeof chunk === "string")
        chunks.push(Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"));
      else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    };
    res.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
      keep(chunk, encoding);
      const done = typeof encoding === "function" ? encoding : callback;
      if (typeof done === "function") process.nextTick(done as Callback);
      return true;
    }) as ServerResponse["write"];
    res.end = function (this: ServerResponse, chunk?: unknown, encoding?: unknown, callback?: unknown) {
      if (typeof chunk === "function") callback = chunk;
      else {
        if (typeof encoding === "function") callback = encoding;
        keep(chunk, encoding);
      }
      let body = Buffer.concat(chunks);
      res.appendHeader("Vary", "Accept-Encoding");
      if (acceptsGzip && body.length >= GZIP_MIN_BYTES) {
        // About 0.15 ms for the list's 28 KB (to 4.5 KB): less than the thread pool's round trip.
        body = gzipSync(body);
        res.setHeader("Content-Encoding", "gzip");
      }
      res.setHeader("Content-Length", body.length);
      return (end as (body: Buffer, done?: () => void) => ServerResponse).call(
        this,
        body,
        typeof callback === "function" ? (callback as () => void) : undefined,
      );
    } as ServerResponse["end"];
  };
}
