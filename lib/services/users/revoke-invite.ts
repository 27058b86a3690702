import { and, eq, isNull, sql } from "drizzle-orm";
import { invites } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { Ctx } from "../context";
import { assertAdmin } from "./assert-admin";

export async function revokeInvite({ ctx, input }: { ctx: Ctx; input: { inviteId: string } }) {
  assertAdmin(ctx);
  const [row] = await ctx.db
    .update(invites)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(invites.id, input.inviteId), isNull(invites.acceptedAt), isNull(invites.revokedAt)))
    .returning({ id: invites.id });
  if (!row) throw new AppError("NOT_FOUND", "This invitation does not exist or was already used.");
  return { inviteId: row.id };
}
