import { count, eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { webhookEvents } from "../schema";

/**
 * How far processing is behind intake: stored events not yet applied, and how long the oldest has
 * waited. Served by the (status, id) index, so it stays cheap with a large backlog.
 */
export async function getWebhookQueueLag(db: Executor) {
  const [row] = await db
    .select({
      pending: count(),
      oldestPendingSeconds: sql<number>`coalesce(extract(epoch from now() - min(${webhookEvents.receivedAt})), 0)::float8`,
    })
    .from(webhookEvents)
    .where(eq(webhookEvents.status, "pending"));
  return { pending: row?.pending ?? 0, oldestPendingSeconds: Math.round((row?.oldestPendingSeconds ?? 0) * 1000) / 1000 };
}
