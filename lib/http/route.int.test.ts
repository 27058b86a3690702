import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

let route: typeof import("./route").route;
let calls = 0;
let handler: (req: Request) => Promise<Response>;

beforeAll(async () => {
  Object.assign(process.env, {
    AUTH_SECRET: "route-test-auth-secret-0123456789",
    META_APP_SECRET: "route-test-app-secret",
    META_VERIFY_TOKEN: "verify-me",
    // The public URL a reverse proxy serves us under; requests reach us as http://127.0.0.1.
    NEXTAUTH_URL: "https://tandem.example.com",
  });
  ({ route } = await import("./route"));
  const wrapped = route({ auth: "public", body: z.object({ text: z.string() }) }, async () => {
    calls++;
    return { ok: true };
  });
  handler = (req) => wrapped(req, { params: Promise.resolve({}) });
});

const post = (headers: Record<string, string>, method = "POST") =>
  handler(new Request("http://127.0.0.1:3000/api/thing", { method, headers, body: JSON.stringify({ text: "hi" }) }));

describe("route(): cross-site request forgery", () => {
  it("refuses a state-changing request that is not JSON or not same-origin with 403, without running the handler", async () => {
    const refused: Record<string, string>[] = [
      { "content-type": "text/plain", origin: "http://evil.example" },
      { "content-type": "text/plain", origin: "http://127.0.0.1:3000" },
      { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
      { "content-type": "application/json", origin: "http://evil.example" },
      { "content-type": "application/json", origin: "null" },
      { "content-type": "application/json", "sec-fetch-site": "cross-site", origin: "http://127.0.0.1:3000" },
      // Another port of the same host (the sandbox's pages) is same-site, not same-origin.
      { "content-type": "application/json", "sec-fetch-site": "same-site" },
      { "content-type": "application/json" },
    ];
    for (const headers of refused) {
      for (const method of ["POST", "PATCH", "DELETE", "PUT"]) {
        const response = await post(headers, method);
        expect(response.status, `${method} ${JSON.stringify(headers)}`).toBe(403);
        expect((await response.json()).error).toEqual({ code: "FORBIDDEN", message: expect.any(String) });
      }
    }
    expect(calls).toBe(0);
  });

  it("accepts JSON from the request's own origin, from the public URL, or marked same-origin by the browser", async () => {
    const accepted: Record<string, string>[] = [
      { "content-type": "application/json", origin: "http://127.0.0.1:3000" },
      { "content-type": "application/json; charset=utf-8", origin: "https://tandem.example.com" },
      { "content-type": "application/json", "sec-fetch-site": "same-origin" },
    ];
    for (const headers of accepted) {
      const response = await post(headers);
      expect(response.status, JSON.stringify(headers)).toBe(200);
    }
    expect(calls).toBe(accepted.length);
  });

  it("leaves reads alone: a GET needs neither a JSON content type nor an Origin", async () => {
    const get = route({ auth: "public" }, async () => ({ read: true }));
    const response = await get(new Request("http://127.0.0.1:3000/api/thing", { headers: { origin: "http://evil.example" } }), {
      params: Promise.resolve({}),
    });
    expect(response.status).toBe(200);
  });
});
