import { sql } from "drizzle-orm";
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
