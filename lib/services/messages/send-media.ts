import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { conversations, mediaAssets, messages, numbers } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import type { MediaStorage } from "@/lib/media/storage";
import { GraphApiError, type GraphClient } from "@/lib/whatsapp/graph-client";
import { describeSendError } from "@/lib/whatsapp/send-errors";
import type { Ctx, UserActor } from "../context";
import { windowRefusal } from "../conversations/window";
import { assertCanAccessNumber } from "../numbers/access";
import { queueOutbound } from "./send-message";

const MB = 1024 * 1024;

/**
 * What WhatsApp accepts as an uploaded photo or document, checked before uploading (Meta refuses
 * larger files with 131053). https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media
 */
export const SENDABLE_MEDIA: Record<string, { type: "image" | "document"; maxBytes: number }> = {
  "image/jpeg": { type: "image", maxBytes: 5 * MB },
  "image/png": { type: "image", maxBytes: 5 * MB },
  "application/pdf": { type: "document", maxBytes: 100 * MB },
  "text/plain": { type: "document", maxBytes: 100 * MB },
};

export const MAX_CAPTION_LENGTH = 1024;

/**
 * Sends a photo or a document with an optional caption and quote. Type, size, access, number state
 * and window are checked before anything is uploaded; the file is kept in Tandem's storage so the
 * bubble shows it, and the message joins the outbound queue like any other.
 */
export async function sendMedia({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor; secret: string };
  input: {
    conversationId: string;
    clientKey: string;
    file: { bytes: Buffer; mimeType: string; fileName: string };
    caption: string;
    replyToWamid: string | null;
    graph: GraphClient;
    storage: MediaStorage;
  };
}) {
  const { file } = input;
  const kind = SENDABLE_MEDIA[file.mimeType];
  if (!kind) throw new AppError("VALIDATION", "Send a JPEG or PNG photo, or a PDF or text document.");
  if (file.bytes.length === 0) throw new AppError("VALIDATION", "The file is empty.");
  if (file.bytes.length > kind.maxBytes)
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `WhatsApp accepts ${kind.type === "image" ? "photos" : "documents"} up to ${kind.maxBytes / MB} MB.`,
    );
  const caption = input.caption.trim();
  if (caption.length > MAX_CAPTION_LENGTH)
    throw new AppError("VALIDATION", `A caption has at most ${MAX_CAPTION_LENGTH} characters.`);

  const [row] = await ctx.db
    .select({ conversation: conversations, number: numbers })
    .from(conversations)
    .innerJoin(numbers, eq(numbers.id, conversations.numberId))
    .where(eq(conversations.id, input.conversationId));
  if (!row) throw new AppError("NOT_FOUND", "This conversation does not exist.");
  await assertCanAccessNumber(ctx, row.number.id, "NOT_FOUND");
  const [existing] = await ctx.db
    .select({ id: messages.id, conversationId: messages.conversationId })
    .from(messages)
    .where(and(eq(messages.numberId, row.number.id), eq(messages.clientKey, input.clientKey)));
  // A retried upload returns the first message; queueOutbound answers the conflict case.
  if (existing && existing.conversationId === row.conversation.id) return { messageId: existing.id, duplicate: true };
  const refusal = windowRefusal(row.conversation);
  if (refusal) throw new AppError("WINDOW_CLOSED", `Only an approved template can be sent: ${refusal}.`);

  let mediaId: string;
  try {
    ({ id: mediaId } = await input.graph.uploadMedia({
      phoneNumberId: row.number.phoneNumberId,
      token: decryptSecret(row.number.accessTokenEncrypted, ctx.secret),
      file: new Blob([new Uint8Array(file.bytes)], { type: file.mimeType }),
      filename: file.fileName,
    }));
  } catch (error) {
    if (error instanceof GraphApiError)
      throw new AppError("UNAVAILABLE", `WhatsApp refused the upload: ${describeSendError(error.code).sentence} (${error.code})`);
    throw new AppError("UNAVAILABLE", "WhatsApp could not be reached to upload the file; try again.");
  }
  const sha256 = createHash("sha256").update(file.bytes).digest("hex");
  const storageKey = `${row.number.id}/${sha256}`;
  await input.storage.put(storageKey, file.bytes);

  const object = {
    id: mediaId,
    ...(caption ? { caption } : {}),
    ...(kind.type === "document" ? { filename: file.fileName } : {}),
  };
  const label = kind.type === "image" ? "Photo" : `Document ${file.fileName}`;
  return queueOutbound({
    ctx,
    input: {
      conversationId: input.conversationId,
      clientKey: input.clientKey,
      replyToWamid: input.replyToWamid,
      draft: {
        type: kind.type,
        origin: "agent",
        body: caption || null,
        content: { [kind.type]: object },
        needsWindow: true,
        preview: caption ? `${label}: ${caption}` : label,
      },
      onQueued: async (tx, message) => {
        await tx.insert(mediaAssets).values({
          numberId: message.numberId,
          messageId: message.id,
          metaMediaId: mediaId,
          mimeType: file.mimeType,
          sha256,
          fileName: file.fileName,
          byteSize: file.bytes.length,
          storageKey,
          state: "stored",
          storedAt: new Date(),
        });
      },
    },
  });
}
