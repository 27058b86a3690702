import { listActiveTeammatesOfAgent, listActiveUsers } from "@/db/queries/users";
import type { Ctx, UserActor } from "../context";

/** Who the actor may see and assign: everyone for admins, the members of their numbers for agents. */
export function listTeammates({ ctx }: { ctx: Ctx & { actor: UserActor } }) {
  if (ctx.actor.role === "admin") return listActiveUsers(ctx.db);
  return listActiveTeammatesOfAgent(ctx.db, { userId: ctx.actor.userId });
}
