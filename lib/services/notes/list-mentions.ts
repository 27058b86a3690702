import { listUnreadMentions } from "@/db/queries/mentions";
import { listNumberIdsForUser } from "@/db/queries/numbers";
import type { Ctx, UserActor } from "../context";

/** The actor's unread mentions, only on numbers they can still see. */
export async function listMentions({ ctx }: { ctx: Ctx & { actor: UserActor } }) {
  const numberIds = await listNumberIdsForUser(ctx.db, { userId: ctx.actor.userId, role: ctx.actor.role });
  return listUnreadMentions(ctx.db, { userId: ctx.actor.userId, numberIds, limit: 50 });
}
