import "server-only";
import { webEnv } from "@/lib/env/web";
import { createGraphClient, type GraphClient } from "@/lib/whatsapp/graph-client";

let cached: GraphClient | undefined;

/** The web process's Graph API client (Meta, or the sandbox in demo mode). */
export function getGraph() {
  const env = webEnv();
  cached ??= createGraphClient({ baseUrl: env.META_GRAPH_URL, version: env.META_GRAPH_VERSION });
  return cached;
}
