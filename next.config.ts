import type { NextConfig } from "next";
import { apiContentSecurityPolicy, staticSecurityHeaders } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // Server-only packages with native bindings or their own workers stay out of the bundle.
  serverExternalPackages: ["@node-rs/argon2", "graphile-worker", "postgres", "pino", "prom-client"],
  poweredByHeader: false,
  // Pages get their Content-Security-Policy (with a per-request nonce) from proxy.ts.
  async headers() {
    return [
      { source: "/:path*", headers: staticSecurityHeaders },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: apiContentSecurityPolicy }] },
    ];
  },
};

export default nextConfig;
