import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { mediaAssets, messages, numbers } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto";
import type { MediaStorage } from "@/lib/media/storage";
import { notifyChange } from "@/lib/realtime/notify";
import { GraphApiError, type GraphClient } from "@/lib/whatsapp/graph-client";
import type { Ctx } from "../context";
import { markTokenInvalid } from "../numbers/token-state";

/** WhatsApp refuses inbound media above 100 MB (error 131052); nothing larger can arrive. */
const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

/** Meta gives sha256 as base64 in webhooks and as hex on the media endpoint; accept either. */
function matchesSha256(data: Buffer, expected: string | null | undefined) {
  if (!expected) return true;
  const digest = createHash("sha256").update(data).digest();
  return expected === digest.toString("hex") || expected === digest.toString("base64");
}

/**
 * The worker's media download: Graph media endpoint for a fresh URL, download with the bearer token,
 * sha256 check, then Tandem's storage. A media id Meta no longer knows (expired after 7 days) is
 * marked unavailable; other failures are recorded and retried by the job runner.
 */
export async function downloadMedia({
  ctx,
  input,
}: {
  ctx: Ctx & { secret: string };
  input: { assetId: string; graph: GraphClient; storage: MediaStorage };
}) {
  const [row] = await ctx.db
    .select({ asset: mediaAssets, number: numbers, conversationId: messages.conversationId })
    .from(mediaAssets)
    .innerJoin(numbers, eq(numbers.id, mediaAssets.numberId))
    .innerJoin(messages, eq(messages.id, mediaAssets.messageId))
    .where(eq(mediaAssets.id, input.assetId));
  if (!row || row.asset.state === "stored" || row.asset.state === "unavailable") return;
  const { asset, number } = row;
  // 190 paused the number: the asset stays pending until the token is replaced.
  if (number.tokenInvalidAt) return;
  const notice = {
    type: "message" as const,
    numberId: number.id,
    conversationId: row.conversationId,
    messageId: asset.messageId,
  };
  const finish = async (values: Partial<typeof mediaAssets.$inferInsert>) => {
    await ctx.db.transaction(async (tx) => {
      await tx.update(mediaAssets).set(values).where(eq(mediaAssets.id, asset.id));
      await notifyChange(tx, notice);
    });
  };

  try {
    const token = decryptSecret(number.accessTokenEncrypted, ctx.secret);
    const info = await input.graph.getMedia({ mediaId: asset.metaMediaId, token, phoneNumberId: number.phoneNumberId });
    const { data, contentType } = await input.graph.downloadMedia({ url: info.url, token, maxBytes: MAX_MEDIA_BYTES });
    if (!matchesSha256(data, info.sha256 ?? asset.sha256)) throw new Error("sha256 of the downloaded file does not match Meta's");
    const sha256 = createHash("sha256").update(data).digest("hex");
    const storageKey = `${number.id}/${sha256}`;
    await input.storage.put(storageKey, data);
    await finish({
      state: "stored",
      storageKey,
      byteSize: data.length,
      mimeType: info.mime_type || contentType || asset.mimeType,
      error: null,
      storedAt: new Date(),
    });
  } catch (error) {
    // A dead token pauses the number; the asset stays pending until a new token resumes it.
    if (error instanceof GraphApiError && error.hasCode(190)) return markTokenInvalid(ctx.db, number.id);
    const gone = error instanceof GraphApiError && (error.httpStatus === 404 || error.hasCode(100) || error.httpStatus === 413);
    await finish({ state: gone ? "unavailable" : "failed", error: error instanceof Error ? error.message : String(error) });
    if (!gone) throw error;
  }
}
