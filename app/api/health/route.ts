import { sql } from "drizzle-orm";
import { getWebhookQueueLag } from "@/db/queries/webhooks";
import { serviceHeartbeats } from "@/db/schema";
import { isDemoMode } from "@/lib/env/shared";
import { webEnv } from "@/lib/env/web";
import { getDb } from "@/lib/server/db";

export const dynamic = "force-dynamic";

/** Background processes beat every 5 s; three missed beats count as down. */
const STALE_AFTER_MS = 15_000;

async function checkMeta() {
  const env = webEnv();
  const mode = isDemoMode(env) ? "sandbox" : "meta";
  if (mode === "meta") return { state: "configured", mode, graphUrl: env.META_GRAPH_URL };
  try {
    const res = await fetch(`${env.META_GRAPH_URL}/health`, { signal: AbortSignal.timeout(2000) });
    return { state: res.ok ? "up" : "down", mode, graphUrl: env.META_GRAPH_URL };
  } catch {
    return { state: "down", mode, graphUrl: env.META_GRAPH_URL };
  }
}

/**
 * Liveness of every part, and the processing lag (pending webhook events, age of the oldest): the
 * lag is reported, not judged, since a backlog is normal under a burst and acks stay fast.
 */
export async function GET() {
  const checks: Record<string, { state: string; [k: string]: unknown }> = {};
  let webhookQueue: Awaited<ReturnType<typeof getWebhookQueueLag>> | null = null;
  try {
    webhookQueue = await getWebhookQueueLag(getDb());
    const beats = await getDb()
      .select({ service: serviceHeartbeats.service, beatAt: serviceHeartbeats.beatAt, now: sql<Date>`now()` })
      .from(serviceHeartbeats);
    checks.database = { state: "up" };
    for (const service of ["realtime", "worker"]) {
      const beat = beats.find((b) => b.service === service);
      const age = beat ? new Date(beat.now).getTime() - beat.beatAt.getTime() : null;
      checks[service] = { state: age !== null && age < STALE_AFTER_MS ? "up" : "down", lastBeatAt: beat?.beatAt ?? null };
    }
  } catch {
    checks.database = { state: "down" };
    checks.realtime = { state: "unknown" };
    checks.worker = { state: "unknown" };
  }
  checks.meta = await checkMeta();
  const ok = Object.values(checks).every((c) => c.state === "up" || c.state === "configured");
  return Response.json({ status: ok ? "ok" : "degraded", checks, webhookQueue }, { status: ok ? 200 : 503 });
}
