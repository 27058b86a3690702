import { z } from "zod";
import { webEnv } from "@/lib/env/web";
import { AppError } from "@/lib/errors";
import { route, uuidParam } from "@/lib/http/route";
import { createDiskStorage } from "@/lib/media/storage";
import { getGraph } from "@/lib/server/graph";
import { sendMedia } from "@/lib/services/messages/send-media";

const fieldsSchema = z.object({
  clientKey: z.string().min(8).max(100),
  caption: z.string().max(4096).default(""),
  replyToWamid: z.string().max(200).nullish(),
});

/** A photo or document from the composer: multipart with `file`, `clientKey`, optional `caption` and `replyToWamid`. */
export const POST = route({ auth: "user", params: z.object({ id: uuidParam }) }, async ({ req, ctx, params }) => {
  const form = await req.formData().catch(() => null);
  if (!form) throw new AppError("VALIDATION", "Send the file as multipart/form-data.");
  const file = form.get("file");
  if (!(file instanceof File)) throw new AppError("VALIDATION", "Invalid body: file is required.");
  const fields = fieldsSchema.safeParse({
    clientKey: form.get("clientKey") ?? undefined,
    caption: form.get("caption") ?? undefined,
    replyToWamid: form.get("replyToWamid") || null,
  });
  if (!fields.success)
    throw new AppError(
      "VALIDATION",
      `Invalid body: ${fields.error.issues[0]?.path.join(".")}: ${fields.error.issues[0]?.message}`,
    );
  const env = webEnv();
  const result = await sendMedia({
    ctx: { ...ctx, secret: env.AUTH_SECRET },
    input: {
      conversationId: params.id,
      clientKey: fields.data.clientKey,
      caption: fields.data.caption,
      replyToWamid: fields.data.replyToWamid ?? null,
      file: { bytes: Buffer.from(await file.arrayBuffer()), mimeType: file.type, fileName: file.name || "file" },
      graph: getGraph(),
      storage: createDiskStorage(env.TANDEM_MEDIA_DIR),
    },
  });
  return Response.json(result, { status: result.duplicate ? 200 : 201 });
});
