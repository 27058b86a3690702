import { z } from "zod";
import { findUserByEmail } from "@/db/queries/users";
import { invites } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { Ctx } from "../context";
import { assertAdmin } from "./assert-admin";
import { checkNumberIds } from "./check-number-ids";
import { hashInviteToken, INVITE_TTL_MS, newInviteToken } from "./invite-token";

export const inviteSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address")),
  role: z.enum(["admin", "agent"]).default("agent"),
  numberIds: z.array(z.string().uuid()).max(500).default([]),
});

/**
 * A single-use invitation link for one email address, valid for seven days. The token is returned
 * once, for the admin to copy; only its hash is kept.
 */
export async function createInvite({ ctx, input }: { ctx: Ctx; input: z.infer<typeof inviteSchema> }) {
  assertAdmin(ctx);
  if (await findUserByEmail(ctx.db, input.email)) throw new AppError("CONFLICT", `${input.email} is already on the team.`);
  const numberIds = await checkNumberIds(ctx.db, input.numberIds);
  const token = newInviteToken();
  const [invite] = await ctx.db
    .insert(invites)
    .values({
      tokenHash: hashInviteToken(token),
      email: input.email,
      role: input.role,
      numberIds,
      createdBy: ctx.actor.userId,
      expiresAt: new Date(Date.now() + INVITE_TTL_MS),
    })
    .returning({ id: invites.id, email: invites.email, role: invites.role, expiresAt: invites.expiresAt });
  if (!invite) throw new Error("insert returned no row");
  return { invite, token };
}
