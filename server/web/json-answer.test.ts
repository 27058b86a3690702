import { createServer, get, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
// The middleware Next.js's production server wraps every answer with (its compiled copy has no types).
// @ts-expect-error
import compression from "next/dist/compiled/compression";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerJsonInOneWrite } from "./json-answer";

const page = JSON.stringify({
  conversations: Array.from({ length: 40 }, (_, i) => ({ id: i, preview: "Is it in stock in blue?" })),
});

/** Answers the way Next.js's route handlers do: headers, flushed, then the body in chunks, each flushed. */
function answer(res: ServerResponse, type: string, chunks: string[]) {
  res.statusCode = 200;
  res.setHeader("Content-Type", type);
  res.flushHeaders();
  for (const chunk of chunks) {
    res.write(new TextEncoder().encode(chunk));
    (res as ServerResponse & { flush?: () => void }).flush?.();
    headersSentAfterChunk.push(res.headersSent);
  }
  res.end();
}

/** Whether the headers had gone out after each chunk written. */
let headersSentAfterChunk: boolean[] = [];
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  answerJsonInOneWrite(req, res);
  (compression as () => (req: IncomingMessage, res: ServerResponse, next: () => void) => void)()(req, res, () => {});
  if (req.url === "/api/page") answer(res, "application/json", [page.slice(0, 1000), page.slice(1000)]);
  else if (req.url === "/api/small") answer(res, "application/json", ['{"ok":true}']);
  else answer(res, "text/plain; charset=utf-8", ["one ", "two"]);
});
let base = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

function fetchRaw(path: string, acceptEncoding?: string) {
  headersSentAfterChunk = [];
  return new Promise<{ headers: IncomingMessage["headers"]; body: Buffer }>((resolve, reject) => {
    get(`${base}${path}`, { headers: acceptEncoding ? { "accept-encoding": acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
}

describe("a JSON answer in one write", () => {
  it("is gzipped whole, with its length, when the client accepts gzip", async () => {
    const { headers, body } = await fetchRaw("/api/page", "gzip, deflate, br");
    expect(headers["content-encoding"]).toBe("gzip");
    expect(headers["transfer-encoding"]).toBeUndefined();
    expect(Number(headers["content-length"])).toBe(body.length);
    expect(headers.vary).toBe("Accept-Encoding");
    expect(gunzipSync(body).toString()).toBe(page);
    // Nothing went out before the whole answer was there.
    expect(headersSentAfterChunk).toEqual([false, false]);
  });

  it("is sent as it is, with its length, to a client that does not accept gzip, or when it is small", async () => {
    for (const [path, accept, expected] of [
      ["/api/page", undefined, page],
      ["/api/page", "br", page],
      ["/api/small", "gzip", '{"ok":true}'],
    ] as const) {
      const { headers, body } = await fetchRaw(path, accept);
      expect(headers["content-encoding"]).toBeUndefined();
      expect(Number(headers["content-length"])).toBe(body.length);
      expect(body.toString()).toBe(expected);
    }
  });

  it("leaves any other answer streamed as it comes, uncompressed", async () => {
    const { headers, body } = await fetchRaw("/api/file", "gzip");
    expect(headers["transfer-encoding"]).toBe("chunked");
    expect(headers["content-encoding"]).toBeUndefined();
    expect(body.toString()).toBe("one two");
    expect(headersSentAfterChunk).toEqual([true, true]);
  });
});
