import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Server-only packages with native bindings or their own workers stay out of the bundle.
  serverExternalPackages: ["@node-rs/argon2", "graphile-worker", "postgres", "pino", "prom-client"],
  poweredByHeader: false,
};

export default nextConfig;
