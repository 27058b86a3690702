import { eq } from "drizzle-orm";
import { z } from "zod";
import { labelColors, labels } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { notifyChange } from "@/lib/realtime/notify";
import type { Ctx } from "../context";
import { assertAdmin } from "../users/assert-admin";

export const labelSchema = z.object({ name: z.string().trim().min(1).max(40), color: z.enum(labelColors) });

// drizzle wraps the driver's error; 23505 is PostgreSQL's unique_violation.
const isNameTaken = (error: unknown) => (error as { cause?: { code?: string } } | null)?.cause?.code === "23505";

/** Creates a label (admins only); labels apply to conversations of every number. */
export async function createLabel({ ctx, input }: { ctx: Ctx; input: z.infer<typeof labelSchema> }) {
  assertAdmin(ctx);
  return ctx.db.transaction(async (tx) => {
    const [label] = await tx
      .insert(labels)
      .values(input)
      .onConflictDoNothing()
      .returning({ id: labels.id, name: labels.name, color: labels.color });
    if (!label) throw new AppError("CONFLICT", `A label named ${input.name} exists already.`);
    await notifyChange(tx, { type: "labels" });
    return label;
  });
}

/** Renames or recolours a label (admins only); every conversation carrying it shows the change. */
export async function updateLabel({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { labelId: string } & Partial<z.infer<typeof labelSchema>>;
}) {
  assertAdmin(ctx);
  const { labelId, ...patch } = input;
  try {
    return await ctx.db.transaction(async (tx) => {
      const [label] = await tx
        .update(labels)
        .set(patch)
        .where(eq(labels.id, labelId))
        .returning({ id: labels.id, name: labels.name, color: labels.color });
      if (!label) throw new AppError("NOT_FOUND", "This label does not exist.");
      await notifyChange(tx, { type: "labels" });
      return label;
    });
  } catch (error) {
    if (isNameTaken(error)) throw new AppError("CONFLICT", `A label named ${patch.name} exists already.`);
    throw error;
  }
}

/** Deletes a label (admins only) and takes it off every conversation. */
export async function deleteLabel({ ctx, input }: { ctx: Ctx; input: { labelId: string } }) {
  assertAdmin(ctx);
  await ctx.db.transaction(async (tx) => {
    const [label] = await tx.delete(labels).where(eq(labels.id, input.labelId)).returning({ id: labels.id });
    if (!label) throw new AppError("NOT_FOUND", "This label does not exist.");
    await notifyChange(tx, { type: "labels" });
  });
}
