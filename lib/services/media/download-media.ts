import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { mediaAssets, messages, numbers } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto";
import type { MediaStorage } from "@/lib/media/storage";
import { notifyChange } from "@/lib/realtime/notify";
import { GraphApiError, type GraphClient } from "@/lib/whatsapp/graph-client";
import type { Ctx } from "../context";
import { markTokenInvalid } from "../numbers/token-state";
import { enqueueMediaDownload } from "./queue-media-download";

/** WhatsApp refuses inbound media above 100 MB (error 131052); nothing larger can arrive. */
const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

/** Meta keeps an inbound media id for 7 days; past that no retry can succeed. */
export const MEDIA_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** 30 s after the first failure, doubling up to every 6 hours: about 35 attempts over 7 days. */
export function retryDelayMs(attempts: number) {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 6 * 60 * 60 * 1000);
}

/** Meta gives sha256 as base64 in webhooks and as hex on the media endpoint; accept either. */
function matchesSha256(data: Buffer, expected: string | null | undefined) {
  if (!expected) return true;
  const digest = createHash("sha256").update(data).digest();
  return expected === digest.toString("hex") || expected === digest.toString("base64");
}

/** A failure no retry can fix: Meta no longer knows the media id, or the file is over the limit. */
class PermanentMediaError extends Error {
  constructor(
    message: string,
    readonly state: "unavailable" | "failed",
  ) {
    super(message);
  }
}

/**
 * The worker's media download: Graph media endpoint for a fresh URL, download with the bearer token,
 * sha256 check, then Tandem's storage. The CDN URL expires within minutes, so a 401/403/404 from it
 * asks Graph for a fresh URL once. Other failures are retried with growing delays until the media
 * id's 7 days have passed (counted from when it reached us); a media id Meta no longer knows is
 * marked unavailable at once.
 */
export async function downloadMedia({
  ctx,
  input,
}: {
  ctx: Ctx & { secret: string };
  input: { assetId: string; graph: GraphClient; storage: MediaStorage; now?: () => Date };
}) {
  const now = input.now ?? (() => new Date());
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
  const attempts = asset.attempts + 1;
  const finish = async (values: Partial<typeof mediaAssets.$inferInsert>, retryAt?: Date) => {
    await ctx.db.transaction(async (tx) => {
      await tx
        .update(mediaAssets)
        .set({ attempts, nextAttemptAt: retryAt ?? null, ...values })
        .where(eq(mediaAssets.id, asset.id));
      if (retryAt) await enqueueMediaDownload(tx, asset.id, retryAt);
      await notifyChange(tx, notice);
    });
  };

  try {
    const token = decryptSecret(number.accessTokenEncrypted, ctx.secret);
    const { data, info, contentType } = await fetchMedia(input.graph, asset.metaMediaId, token, number.phoneNumberId);
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
      storedAt: now(),
    });
  } catch (error) {
    // A dead token pauses the number; the asset stays as it is until a new token resumes it.
    if (error instanceof GraphApiError && error.hasCode(190)) return markTokenInvalid(ctx.db, number.id);
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof PermanentMediaError) return finish({ state: error.state, error: message });
    const giveUpAt = asset.createdAt.getTime() + MEDIA_LIFETIME_MS;
    if (now().getTime() >= giveUpAt) {
      return finish({ state: "failed", error: `Gave up after ${attempts} attempts over WhatsApp's 7 days: ${message}` });
    }
    const retryAt = new Date(Math.min(now().getTime() + retryDelayMs(attempts), giveUpAt));
    await finish({ state: "retrying", error: message }, retryAt);
  }
}

/** GET /{media-id} for a URL, then the file; a URL the CDN refuses (expired) is fetched afresh once. */
async function fetchMedia(graph: GraphClient, mediaId: string, token: string, phoneNumberId: string) {
  const getInfo = () =>
    graph.getMedia({ mediaId, token, phoneNumberId }).catch((error: unknown) => {
      if (error instanceof GraphApiError && (error.httpStatus === 404 || error.hasCode(100))) {
        throw new PermanentMediaError(`WhatsApp no longer has this media: ${error.message}`, "unavailable");
      }
      throw error;
    });
  const download = (url: string) =>
    graph.downloadMedia({ url, token, maxBytes: MAX_MEDIA_BYTES }).catch((error: unknown) => {
      if (error instanceof GraphApiError && error.httpStatus === 413) throw new PermanentMediaError(error.message, "failed");
      throw error;
    });
  let info = await getInfo();
  try {
    return { info, ...(await download(info.url)) };
  } catch (error) {
    if (!(error instanceof GraphApiError && [401, 403, 404].includes(error.httpStatus))) throw error;
    info = await getInfo();
    return { info, ...(await download(info.url)) };
  }
}
