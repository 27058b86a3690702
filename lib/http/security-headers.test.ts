import { describe, expect, it } from "vitest";
import { pageContentSecurityPolicy } from "./security-headers";

const directive = (policy: string, name: string) =>
  policy
    .split("; ")
    .find((d) => d.startsWith(`${name} `))
    ?.split(" ")
    .slice(1) ?? [];

describe("a page's Content-Security-Policy", () => {
  const demo = pageContentSecurityPolicy({
    nonce: "abc123",
    isDev: false,
    publicUrl: "http://127.0.0.1:3000",
    realtimeUrl: "http://127.0.0.1:3001",
    sandboxUrl: "http://127.0.0.1:3002/",
  });

  it("runs only scripts carrying this request's nonce, never inline ones or eval in production", () => {
    expect(directive(demo, "script-src")).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'", "http://127.0.0.1:3002"]);
    expect(demo).not.toContain("unsafe-eval");
    expect(directive(demo, "frame-ancestors")).toEqual(["'none'"]);
    expect(directive(demo, "object-src")).toEqual(["'none'"]);
  });

  it("lets the socket reach the realtime sidecar, and Embedded Signup the sandbox in demo mode", () => {
    expect(directive(demo, "connect-src")).toEqual([
      "'self'",
      "http://127.0.0.1:3001",
      "ws://127.0.0.1:3001",
      "http://127.0.0.1:3002",
    ]);
    expect(directive(demo, "frame-src")).toEqual(["http://127.0.0.1:3002"]);
    expect(demo).not.toContain("facebook");
    expect(demo).not.toContain("upgrade-insecure-requests");
  });

  it("allows Meta's SDK and its frames with a real Meta app, secure sockets and upgrades over https", () => {
    const meta = pageContentSecurityPolicy({
      nonce: "n",
      isDev: true,
      publicUrl: "https://inbox.example.com",
      realtimeUrl: "https://realtime.example.com",
    });
    expect(directive(meta, "script-src")).toEqual(
      expect.arrayContaining(["https://connect.facebook.net", "'unsafe-eval'", "'nonce-n'"]),
    );
    expect(directive(meta, "frame-src")).toContain("https://www.facebook.com");
    expect(directive(meta, "connect-src")).toEqual(
      expect.arrayContaining(["https://realtime.example.com", "wss://realtime.example.com"]),
    );
    expect(meta.endsWith("upgrade-insecure-requests")).toBe(true);
  });
});
