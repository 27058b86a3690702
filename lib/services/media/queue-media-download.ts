import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { mediaAssets } from "@/db/schema";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { mediaOf } from "../messages/message-content";

/**
 * Queues (or re-queues) an asset's download; one job per asset, whatever asks. The download plans
 * its own retries (see download-media.ts); the runner's few attempts only cover a crash mid-job.
 */
export function enqueueMediaDownload(db: Executor, assetId: string, runAt?: Date) {
  return enqueueJob(db, "download-media", { assetId }, { jobKey: `media:${assetId}`, maxAttempts: 3, runAt });
}

/** Records a message's media and queues its download (once per message and Meta media id). */
export async function queueMediaDownload(
  db: Executor,
  input: { numberId: string; messageId: string; message: { type: string } & Record<string, unknown> },
) {
  const media = mediaOf(input.message);
  if (!media) return;
  const [asset] = await db
    .insert(mediaAssets)
    .values({ numberId: input.numberId, messageId: input.messageId, ...media })
    .onConflictDoNothing()
    .returning({ id: mediaAssets.id });
  // Meta's media URLs expire in minutes and media ids after 7 days: download now, not on first view.
  if (asset) await enqueueMediaDownload(db, asset.id);
}

/**
 * Queues again every download of a number that waited for a new token. A 190 pauses a download
 * without failing it, so failed ones (gave up, or refused for good) stay for an admin's retry.
 */
export async function resumeMediaDownloads(db: Executor, numberId: string) {
  const waiting = await db
    .select({ id: mediaAssets.id })
    .from(mediaAssets)
    .where(and(eq(mediaAssets.numberId, numberId), inArray(mediaAssets.state, ["pending", "retrying"])));
  for (const asset of waiting) await enqueueMediaDownload(db, asset.id);
  return waiting.length;
}
