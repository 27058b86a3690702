import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { countActiveAdmins, findUserById } from "@/db/queries/users";
import { numberAccess, users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { notifyChange } from "@/lib/realtime/notify";
import type { Ctx } from "../context";
import { assertAdmin } from "./assert-admin";
import { checkNumberIds } from "./check-number-ids";

export const memberPatchSchema = z
  .object({
    role: z.enum(["admin", "agent"]).optional(),
    isActive: z.boolean().optional(),
    numberIds: z.array(z.string().uuid()).max(500).optional(),
  })
  .refine(
    (p) => p.role !== undefined || p.isActive !== undefined || p.numberIds !== undefined,
    "Give a role, isActive or numberIds",
  );

/**
 * Changes a member's role, numbers or activity. Deactivation ends their sessions (the session
 * version moves on); every change is announced so their open sockets leave lost rooms or close.
 * The team always keeps one active admin, and admins cannot lock themselves out.
 */
export async function updateMember({ ctx, input }: { ctx: Ctx; input: { userId: string } & z.infer<typeof memberPatchSchema> }) {
  assertAdmin(ctx);
  const member = await findUserById(ctx.db, input.userId);
  if (!member) throw new AppError("NOT_FOUND", "This team member does not exist.");
  const isSelf = member.id === ctx.actor.userId;
  if (isSelf && input.isActive === false) throw new AppError("VALIDATION", "You cannot deactivate yourself.");
  if (isSelf && input.role === "agent") throw new AppError("VALIDATION", "You cannot remove your own admin role.");
  const numberIds = input.numberIds === undefined ? undefined : await checkNumberIds(ctx.db, input.numberIds);

  return ctx.db.transaction(async (tx) => {
    // Serialises admin changes so two admins demoting each other cannot leave nobody in charge.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('tandem:team'))`);
    const losesAdmin = member.role === "admin" && member.isActive && (input.role === "agent" || input.isActive === false);
    if (losesAdmin && (await countActiveAdmins(tx)) <= 1) {
      throw new AppError("CONFLICT", "The team needs at least one active admin.");
    }
    const deactivates = member.isActive && input.isActive === false;
    const [updated] = await tx
      .update(users)
      .set({
        role: input.role ?? member.role,
        ...(input.isActive !== undefined ? { isActive: input.isActive } : {}),
        ...(deactivates ? { sessionVersion: sql`${users.sessionVersion} + 1` } : {}),
      })
      .where(eq(users.id, member.id))
      .returning({ id: users.id, name: users.name, email: users.email, role: users.role, isActive: users.isActive });
    if (numberIds) {
      await tx.delete(numberAccess).where(eq(numberAccess.userId, member.id));
      if (numberIds.length > 0)
        await tx.insert(numberAccess).values(numberIds.map((numberId) => ({ userId: member.id, numberId })));
    }
    await notifyChange(tx, { type: "access", userId: member.id });
    return { ...updated!, numberIds: numberIds ?? null };
  });
}
