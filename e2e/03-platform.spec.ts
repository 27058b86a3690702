import { connect } from "node:net";
import { cspViolationsOf, e2e, expect, test, unique } from "./fixtures";

test.describe.configure({ mode: "serial" });

test("pages and the API send the security headers, and a script injected into a page is refused", async ({ agent }) => {
  for (const pathname of ["/login", "/inbox", "/admin/webhooks"]) {
    const response = await agent.request.get(pathname);
    const headers = response.headers();
    expect(headers["content-security-policy"], pathname).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(headers["content-security-policy"], pathname).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"], pathname).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(headers["x-content-type-options"], pathname).toBe("nosniff");
    expect(headers["referrer-policy"], pathname).toBe("strict-origin-when-cross-origin");
    expect(headers["permissions-policy"], pathname).toContain("camera=()");
  }
  // Static files come from public/, with the same headers.
  const robots = await agent.request.get("/robots.txt");
  expect(robots.status()).toBe(200);
  expect(await robots.text()).toContain("Disallow: /");
  const icon = await agent.request.get("/icon.svg");
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  expect(icon.headers()["x-content-type-options"]).toBe("nosniff");
  await expect(agent.locator('link[rel="icon"]')).toHaveAttribute("href", "/icon.svg");

  const api = (await agent.request.get("/api/conversations")).headers();
  expect(api["content-security-policy"]).toContain("default-src 'none'");
  expect(api["x-content-type-options"]).toBe("nosniff");

  // The inbox rendered and hydrated under its policy (the fixture fails on any violation)...
  await agent.goto("/admin/webhooks");
  await agent.goto("/inbox");
  await expect(agent.getByRole("button", { name: "Sign out" })).toBeVisible();
  // ...and markup injected the way an XSS would (an inline handler, no nonce) does not run.
  const ran = await agent.evaluate(async () => {
    const box = document.createElement("div");
    box.innerHTML = '<img src="data:," onerror="window.__injected = true">';
    document.body.append(box);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The probe is not part of the page: gone before the closing accessibility check.
    box.remove();
    return (window as { __injected?: boolean }).__injected ?? false;
  });
  expect(ran).toBe(false);
  await expect.poll(() => cspViolationsOf(agent).length).toBeGreaterThan(0);
  cspViolationsOf(agent).splice(0);
});

test("a cross-site or non-JSON state-changing request with the agent's cookie is refused with 403", async ({ agent }) => {
  const { conversations } = (await (await agent.request.get("/api/conversations")).json()) as {
    conversations: { id: string }[];
  };
  const conversationId = conversations[0]?.id;
  expect(conversationId, "a conversation from the earlier tests").toBeTruthy();
  const send = (headers: Record<string, string>, data: string) =>
    agent.request.post(`/api/conversations/${conversationId}/messages`, { headers, data });
  const messages = async () =>
    (await (await agent.request.get(`/api/conversations/${conversationId}/messages?limit=200`)).json()).messages as unknown[];
  const before = (await messages()).length;

  const attacks: Record<string, string>[] = [
    { "content-type": "text/plain", origin: "http://evil.example" },
    { "content-type": "application/json", origin: "http://evil.example" },
    { "content-type": "text/plain", "sec-fetch-site": "same-origin" },
    { "content-type": "application/json", "sec-fetch-site": "cross-site" },
    { "content-type": "application/json" },
  ];
  for (const headers of attacks) {
    const response = await send(headers, JSON.stringify({ clientKey: unique("csrf-attempt"), text: "CSRF" }));
    expect(response.status(), JSON.stringify(headers)).toBe(403);
    expect((await response.json()).error.code).toBe("FORBIDDEN");
  }
  expect((await messages()).length).toBe(before);

  // The same request from our own origin goes through.
  const own = await send(
    { "content-type": "application/json", origin: e2e.baseURL },
    JSON.stringify({ clientKey: unique("csrf-own"), text: unique("Same origin") }),
  );
  expect(own.status()).toBe(201);
  expect((await messages()).length).toBe(before + 1);
});

/** An HTTP/1.1 answer received whole: its body as long as its content-length, or chunked to the end. */
function isWholeAnswer(received: string) {
  const end = received.indexOf("\r\n\r\n");
  if (end < 0) return false;
  const length = received.slice(0, end).match(/^content-length: (\d+)/im)?.[1];
  return length ? received.length - end - 4 >= Number(length) : received.endsWith("\r\n0\r\n\r\n");
}

/**
 * Answers on one raw keep-alive connection: each request is written once the previous answer has
 * come; `pauseMs` is waited before each request but the first.
 */
async function requestsOnOneConnection(paths: string[], pauseMs: number) {
  const { hostname, port } = new URL(e2e.baseURL);
  const socket = connect(Number(port), hostname);
  socket.setEncoding("latin1");
  let received = "";
  let closed = false;
  socket.on("data", (chunk: string) => (received += chunk));
  socket.on("close", () => (closed = true));
  socket.on("error", () => (closed = true));
  const heads: string[] = [];
  try {
    for (const [i, pathname] of paths.entries()) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      if (closed) break;
      received = "";
      socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: keep-alive\r\n\r\n`);
      await expect.poll(() => closed || isWholeAnswer(received), { timeout: 10_000 }).toBe(true);
      if (!closed) heads.push(received.slice(0, received.indexOf("\r\n\r\n")));
    }
  } finally {
    socket.destroy();
  }
  return heads;
}

test("an idle keep-alive connection stays open longer than a load balancer keeps its own (60 s)", async () => {
  // A proxy in front (a load balancer, nginx) reuses idle connections to the web process until its
  // own idle timeout. A server that closes them first (Node's default: after 5 s) races the proxy's
  // next request onto a closing socket, which the proxy answers with a 502.
  const [first, second] = await requestsOnOneConnection(["/api/health", "/api/health"], 6_000);
  expect(first).toMatch(/^HTTP\/1\.1 200/);
  const timeout = Number(first?.match(/^keep-alive: timeout=(\d+)/im)?.[1]);
  expect(timeout, "the keep-alive timeout the server announces, in seconds").toBeGreaterThan(60);
  expect(second, "a request on the connection after 6 s idle").toMatch(/^HTTP\/1\.1 200/);
});
