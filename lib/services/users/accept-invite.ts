import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { invites, numberAccess, numbers, users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { Ctx } from "../context";
import { newUserSchema } from "./create-first-admin";
import { hashInviteToken } from "./invite-token";
import { hashPassword } from "./passwords";

export const acceptInviteSchema = newUserSchema.pick({ name: true, password: true }).extend({
  token: z.string().min(20).max(100),
});

/**
 * Turns an invitation into a user with its role and numbers. The invite is claimed by the same
 * update that checks it is unused, unexpired and not revoked, so two submissions make one user.
 */
export async function acceptInvite({ ctx, input }: { ctx: Ctx; input: z.infer<typeof acceptInviteSchema> }) {
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const [invite] = await tx
      .update(invites)
      .set({ acceptedAt: sql`now()` })
      .where(
        and(
          eq(invites.tokenHash, hashInviteToken(input.token)),
          isNull(invites.acceptedAt),
          isNull(invites.revokedAt),
          gt(invites.expiresAt, sql`now()`),
        ),
      )
      .returning();
    if (!invite) throw new AppError("NOT_FOUND", "This invitation link is not valid any more. Ask your admin for a new one.");
    const [user] = await tx
      .insert(users)
      .values({ name: input.name, email: invite.email, passwordHash, role: invite.role })
      .onConflictDoNothing()
      .returning({ id: users.id, email: users.email, name: users.name, role: users.role });
    if (!user) throw new AppError("CONFLICT", `${invite.email} already has an account. Sign in instead.`);
    // Numbers deleted since the invitation was made are skipped.
    const granted =
      invite.numberIds.length > 0
        ? await tx.select({ id: numbers.id }).from(numbers).where(inArray(numbers.id, invite.numberIds))
        : [];
    if (granted.length > 0) await tx.insert(numberAccess).values(granted.map((n) => ({ userId: user.id, numberId: n.id })));
    await tx.update(invites).set({ acceptedUserId: user.id }).where(eq(invites.id, invite.id));
    return user;
  });
}
