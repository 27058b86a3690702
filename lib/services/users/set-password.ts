import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { findUserById } from "@/db/queries/users";
import { users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { notifyChange } from "@/lib/realtime/notify";
import type { Ctx, UserActor } from "../context";
import { assertAdmin } from "./assert-admin";
import { newUserSchema } from "./create-first-admin";
import { hashPassword, verifyPassword } from "./passwords";

const passwordSchema = newUserSchema.shape.password;
export const resetPasswordSchema = z.object({ password: passwordSchema });
export const changePasswordSchema = z.object({ currentPassword: z.string().min(1).max(200), newPassword: passwordSchema });

/** Stores a new hash and ends every session of the user, their open sockets included. */
async function storePassword(ctx: Ctx, userId: string, password: string) {
  const passwordHash = await hashPassword(password);
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, userId));
    await notifyChange(tx, { type: "access", userId });
  });
}

/** An admin sets a new password for a member who lost theirs, and tells it to them. */
export async function resetPassword({ ctx, input }: { ctx: Ctx; input: { userId: string; password: string } }) {
  assertAdmin(ctx);
  const member = await findUserById(ctx.db, input.userId);
  if (!member) throw new AppError("NOT_FOUND", "This team member does not exist.");
  await storePassword(ctx, member.id, input.password);
  return { userId: member.id };
}

/** Anyone changes their own password with the current one; they then sign in again everywhere. */
export async function changePassword({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: z.infer<typeof changePasswordSchema>;
}) {
  const user = await findUserById(ctx.db, ctx.actor.userId);
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError("VALIDATION", "The current password is not right.");
  }
  await storePassword(ctx, user.id, input.newPassword);
  return { userId: user.id };
}
