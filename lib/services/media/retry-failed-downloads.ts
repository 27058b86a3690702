import { and, eq } from "drizzle-orm";
import { mediaAssets, numbers } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { Ctx } from "../context";
import { enqueueMediaDownload } from "./queue-media-download";

/**
 * An admin's "retry failed downloads" for one number: each failed download gets a fresh attempt now
 * (and, within WhatsApp's 7 days, the usual retries after it).
 */
export async function retryFailedMediaDownloads({ ctx, input }: { ctx: Ctx; input: { numberId: string } }) {
  return ctx.db.transaction(async (tx) => {
    const [number] = await tx.select({ id: numbers.id }).from(numbers).where(eq(numbers.id, input.numberId));
    if (!number) throw new AppError("NOT_FOUND", "This number does not exist.");
    const assets = await tx
      .update(mediaAssets)
      .set({ state: "pending", attempts: 0, nextAttemptAt: null, error: null })
      .where(and(eq(mediaAssets.numberId, number.id), eq(mediaAssets.state, "failed")))
      .returning({ id: mediaAssets.id });
    for (const asset of assets) await enqueueMediaDownload(tx, asset.id);
    return { requeued: assets.length };
  });
}
