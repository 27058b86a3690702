import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { serviceHeartbeats } from "@/db/schema";

/** Records that a background process is alive; GET /api/health reads it. */
export async function beat(db: Executor, service: "worker" | "realtime") {
  await db
    .insert(serviceHeartbeats)
    .values({ service, beatAt: sql`now()` })
    .onConflictDoUpdate({ target: serviceHeartbeats.service, set: { beatAt: sql`now()` } });
}

export const HEARTBEAT_INTERVAL_MS = 5_000;

/**
 * Marks a background process down at once, for the launcher when it sees one exit: health then
 * reports it down until the restarted process beats again, instead of after three missed beats.
 */
export async function markServiceDown(db: Executor, service: "worker" | "realtime") {
  await db.delete(serviceHeartbeats).where(eq(serviceHeartbeats.service, service));
}
