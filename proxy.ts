import { type NextRequest, NextResponse } from "next/server";
import { isDemoMode } from "@/lib/env/shared";
import { webEnv } from "@/lib/env/web";
import { pageContentSecurityPolicy } from "@/lib/http/security-headers";

/**
 * Gives every page a Content-Security-Policy with a fresh nonce. Next.js reads the nonce from the
 * request's policy header and puts it on its own scripts, which is why pages render per request.
 * https://nextjs.org/docs/app/guides/content-security-policy
 */
export function proxy(request: NextRequest) {
  const env = webEnv();
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const policy = pageContentSecurityPolicy({
    nonce,
    isDev: env.NODE_ENV === "development",
    publicUrl: env.NEXTAUTH_URL,
    realtimeUrl: env.REALTIME_PUBLIC_URL,
    sandboxUrl: isDemoMode(env) ? env.SANDBOX_PUBLIC_URL : undefined,
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: the API and static files get their headers from next.config.ts, and the
      // webhook intake must not have its body buffered by a proxy.
      source: "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
