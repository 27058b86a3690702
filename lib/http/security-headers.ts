/**
 * The browser-side defences every response carries, in one place: next.config.ts sends the static
 * ones with everything, proxy.ts adds a page's Content-Security-Policy with a fresh nonce.
 */

/** Sent with every response: pages, the JSON API, static files. */
export const staticSecurityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Cross-origin requests carry the origin only (Meta's SDK checks it), never a path with ids in it.
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()" },
  // For browsers without CSP frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
];

/** JSON and media answers are never documents to run or frame. */
export const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** Where Meta's Embedded Signup loads from: the Facebook SDK, and the frames and calls it makes. */
const META_ORIGINS = {
  script: ["https://connect.facebook.net"],
  frame: ["https://www.facebook.com", "https://web.facebook.com", "https://staticxx.facebook.com"],
  connect: ["https://www.facebook.com", "https://graph.facebook.com", "https://connect.facebook.net"],
};

const originOf = (url: string) => new URL(url).origin;
const websocketOriginOf = (url: string) => originOf(url).replace(/^http/, "ws");

/**
 * A page's policy: scripts only with this request's nonce (Next.js puts it on its own scripts) and
 * what those load ('strict-dynamic'); sockets to the realtime sidecar; Embedded Signup's origins,
 * which are Meta's or, in demo mode, the sandbox's stand-in.
 */
export function pageContentSecurityPolicy(options: {
  nonce: string;
  isDev: boolean;
  publicUrl?: string;
  realtimeUrl: string;
  /** Set in demo mode: the sandbox plays Meta, SDK included. */
  sandboxUrl?: string;
}) {
  const signup = options.sandboxUrl
    ? { script: [originOf(options.sandboxUrl)], frame: [originOf(options.sandboxUrl)], connect: [originOf(options.sandboxUrl)] }
    : META_ORIGINS;
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    // 'unsafe-eval' only in development, where React rebuilds server error stacks with eval.
    "script-src": [
      "'self'",
      `'nonce-${options.nonce}'`,
      "'strict-dynamic'",
      ...signup.script,
      ...(options.isDev ? ["'unsafe-eval'"] : []),
    ],
    // Style attributes rendered by React cannot carry a nonce; styles cannot run code.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'", originOf(options.realtimeUrl), websocketOriginOf(options.realtimeUrl), ...signup.connect],
    "frame-src": signup.frame,
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  const policy = Object.entries(directives).map(([name, values]) => `${name} ${[...new Set(values)].join(" ")}`);
  // Over plain http (a local demo) upgrading would break every same-origin request.
  if (options.publicUrl?.startsWith("https://")) policy.push("upgrade-insecure-requests");
  return policy.join("; ");
}
