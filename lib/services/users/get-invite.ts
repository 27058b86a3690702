import { findInviteByTokenHash } from "@/db/queries/users";
import { AppError } from "@/lib/errors";
import type { Ctx } from "../context";
import { hashInviteToken } from "./invite-token";

/** The invitation behind a link, if it can still be accepted; the same NOT_FOUND for every other case. */
export async function getInvite({ ctx, input }: { ctx: Ctx; input: { token: string } }) {
  const invite = await findInviteByTokenHash(ctx.db, hashInviteToken(input.token));
  if (!invite || invite.acceptedAt || invite.revokedAt || invite.expiresAt <= new Date()) {
    throw new AppError("NOT_FOUND", "This invitation link is not valid any more. Ask your admin for a new one.");
  }
  return invite;
}
