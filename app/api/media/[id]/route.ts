import { Readable } from "node:stream";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { mediaAssets, messages } from "@/db/schema";
import { webEnv } from "@/lib/env/web";
import { AppError } from "@/lib/errors";
import { route, uuidParam } from "@/lib/http/route";
import { createDiskStorage } from "@/lib/media/storage";
import { assertCanAccessNumber } from "@/lib/services/numbers/access";

/** A stored media file, for users who may see its number only; a deleted message's media for admins only. */
export const GET = route({ auth: "user", params: z.object({ id: uuidParam }) }, async ({ ctx, params }) => {
  const [row] = await ctx.db
    .select({ asset: mediaAssets, deletedAt: messages.deletedAt })
    .from(mediaAssets)
    .leftJoin(messages, eq(messages.id, mediaAssets.messageId))
    .where(eq(mediaAssets.id, params.id));
  const asset = row?.asset;
  if (!asset || (row.deletedAt && ctx.actor.role !== "admin")) throw new AppError("NOT_FOUND", "This media does not exist.");
  await assertCanAccessNumber(ctx, asset.numberId, "NOT_FOUND");
  if (asset.state !== "stored" || !asset.storageKey)
    throw new AppError("NOT_FOUND", "This media has not been downloaded from WhatsApp.");
  const file = await createDiskStorage(webEnv().TANDEM_MEDIA_DIR).open(asset.storageKey);
  if (!file) throw new AppError("NOT_FOUND", "The media file is missing from storage.");
  const name = (asset.fileName ?? "media").replace(/[^\w.\- ]/g, "_");
  return new Response(Readable.toWeb(file.stream) as ReadableStream, {
    headers: {
      "content-type": asset.mimeType ?? "application/octet-stream",
      "content-length": String(file.size),
      "content-disposition": `inline; filename="${name}"`,
      "cache-control": "private, max-age=86400, immutable",
      "x-content-type-options": "nosniff",
      // Media comes from customers: never let it run as a page on our origin.
      "content-security-policy": "default-src 'none'; sandbox",
    },
  });
});
