import type { Executor } from "@/db/client";
import { mediaAssets } from "@/db/schema";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { mediaOf } from "../messages/message-content";

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
  if (asset) await enqueueJob(db, "download-media", { assetId: asset.id }, { jobKey: `media:${asset.id}`, maxAttempts: 8 });
}
