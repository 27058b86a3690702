import { countUnreadConversations } from "@/db/queries/conversations";
import { listNumberIdsForUser } from "@/db/queries/numbers";
import type { Ctx, UserActor } from "../context";

/** Unread conversations per view, for the tab title and the view badges; scoped to the user's numbers. */
export async function countUnread({ ctx }: { ctx: Ctx & { actor: UserActor } }) {
  const numberIds = await listNumberIdsForUser(ctx.db, ctx.actor);
  return countUnreadConversations(ctx.db, { numberIds, userId: ctx.actor.userId });
}
