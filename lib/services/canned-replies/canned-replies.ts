import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { cannedReplies, numbers } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { Ctx, UserActor } from "../context";
import { MAX_TEXT_LENGTH } from "../messages/send-message";
import { assertCanAccessNumber } from "../numbers/access";

/** `/shortcut` as typed in the composer: stored lower-cased, without the slash. */
export const shortcutSchema = z
  .string()
  .trim()
  .transform((s) => s.replace(/^\//, "").toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "use 1-32 letters, digits, - or _, starting with a letter or digit"));

export const cannedReplyBodySchema = z
  .string()
  .trim()
  .min(1, "is empty")
  .max(MAX_TEXT_LENGTH, `has at most ${MAX_TEXT_LENGTH} characters`);

const columns = {
  id: cannedReplies.id,
  numberId: cannedReplies.numberId,
  shortcut: cannedReplies.shortcut,
  body: cannedReplies.body,
  updatedAt: cannedReplies.updatedAt,
};

const isUniqueViolation = (error: unknown) =>
  (error as { code?: string; cause?: { code?: string } })?.code === "23505" ||
  (error as { cause?: { code?: string } })?.cause?.code === "23505";

async function uniquely<T>(shortcut: string | undefined, write: () => Promise<T>) {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `This number already has a canned reply /${shortcut}.`);
    throw error;
  }
}

/** A number's canned replies, for every member of the number. */
export async function listCannedReplies({ ctx, input }: { ctx: Ctx & { actor: UserActor }; input: { numberId: string } }) {
  await assertCanAccessNumber(ctx, input.numberId, "NOT_FOUND");
  return ctx.db
    .select(columns)
    .from(cannedReplies)
    .where(eq(cannedReplies.numberId, input.numberId))
    .orderBy(asc(cannedReplies.shortcut));
}

/** Admins manage canned replies (the route checks the role); members use them. */
export async function createCannedReply({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: { numberId: string; shortcut: string; body: string };
}) {
  const [number] = await ctx.db.select({ id: numbers.id }).from(numbers).where(eq(numbers.id, input.numberId));
  if (!number) throw new AppError("NOT_FOUND", "This number does not exist.");
  const [row] = await uniquely(input.shortcut, () =>
    ctx.db
      .insert(cannedReplies)
      .values({ numberId: number.id, shortcut: input.shortcut, body: input.body, createdBy: ctx.actor.userId })
      .returning(columns),
  );
  return row!;
}

export async function updateCannedReply({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: { id: string; shortcut?: string; body?: string };
}) {
  const [row] = await uniquely(input.shortcut, () =>
    ctx.db
      .update(cannedReplies)
      .set({
        ...(input.shortcut !== undefined ? { shortcut: input.shortcut } : {}),
        ...(input.body !== undefined ? { body: input.body } : {}),
        updatedAt: new Date(),
      })
      .where(eq(cannedReplies.id, input.id))
      .returning(columns),
  );
  if (!row) throw new AppError("NOT_FOUND", "This canned reply does not exist.");
  return row;
}

export async function deleteCannedReply({ ctx, input }: { ctx: Ctx & { actor: UserActor }; input: { id: string } }) {
  const [row] = await ctx.db.delete(cannedReplies).where(eq(cannedReplies.id, input.id)).returning({ id: cannedReplies.id });
  if (!row) throw new AppError("NOT_FOUND", "This canned reply does not exist.");
  return row;
}
