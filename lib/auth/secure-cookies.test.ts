import NextAuth from "next-auth";
import { afterEach, describe, expect, it, vi } from "vitest";

/**
 * Session cookies follow the public URL: `Secure` (and `__Secure-`/`__Host-` prefixed) when Tandem
 * is served over https, plain over http in development. Asked of next-auth's own handler with
 * Tandem's options.
 */
async function cookiesFor(publicUrl: string) {
  vi.resetModules();
  vi.stubEnv("NEXTAUTH_URL", publicUrl);
  vi.stubEnv("DATABASE_URL", "postgres://127.0.0.1:5432/unused");
  vi.stubEnv("AUTH_SECRET", "secure-cookies-test-secret-0123456789");
  vi.stubEnv("META_APP_SECRET", "unused");
  vi.stubEnv("META_VERIFY_TOKEN", "unused");
  const { authOptions } = await import("./options");
  // next-auth's handler for a plain Node request and response, where the cookies it sets can be read.
  const headers = new Map<string, unknown>();
  const res = {
    setHeader: (name: string, value: unknown) => headers.set(name.toLowerCase(), value),
    getHeader: (name: string) => headers.get(name.toLowerCase()),
    status: () => res,
    json: () => res,
    send: () => res,
    end: () => res,
    redirect: () => res,
  };
  const req = { method: "GET", headers: {}, cookies: {}, body: {}, query: { nextauth: ["csrf"] } };
  await NextAuth(req as never, res as never, authOptions());
  const setCookie = headers.get("set-cookie");
  return (Array.isArray(setCookie) ? setCookie : [setCookie]).filter((c): c is string => typeof c === "string");
}

afterEach(() => vi.unstubAllEnvs());

describe("session cookies", () => {
  it("are Secure and prefixed when the public URL is https", async () => {
    const cookies = await cookiesFor("https://tandem.example.com");
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/^__(Secure|Host)-next-auth\./);
      expect(cookie).toMatch(/; Secure(;|$)/);
      expect(cookie).toMatch(/; HttpOnly(;|$)/);
    }
  });

  it("are plain over http, where a Secure cookie would never be sent back", async () => {
    const cookies = await cookiesFor("http://127.0.0.1:3000");
    expect(cookies.some((c) => c.startsWith("next-auth.csrf-token="))).toBe(true);
    for (const cookie of cookies) expect(cookie).not.toMatch(/; Secure(;|$)/);
  });
});
