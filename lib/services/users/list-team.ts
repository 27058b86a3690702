import { listPendingInvites, listTeamMembers } from "@/db/queries/users";
import type { Ctx } from "../context";
import { assertAdmin } from "./assert-admin";

/** The team page: members with their numbers, and invitations not yet accepted. */
export async function listTeam({ ctx }: { ctx: Ctx }) {
  assertAdmin(ctx);
  const [members, invites] = await Promise.all([listTeamMembers(ctx.db), listPendingInvites(ctx.db)]);
  return { members, invites };
}
