import {
  type ConversationSummary,
  type ConversationView,
  listConversations as queryConversations,
} from "@/db/queries/conversations";
import { listNumberIdsForUser } from "@/db/queries/numbers";
import { AppError } from "@/lib/errors";
import type { Ctx, UserActor } from "../context";
import { windowExpiresAt } from "./window";

export type ConversationItem = ConversationSummary & { windowExpiresAt: Date | null };

export const withWindow = (c: ConversationSummary): ConversationItem => ({
  ...c,
  windowExpiresAt: windowExpiresAt(c),
});

/** A page of conversations across the numbers the user may see (or one of them). */
export async function listConversationsForUser({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: {
    numberId?: string;
    view: ConversationView;
    status?: "open" | "pending" | "resolved";
    search?: string;
    cursor?: { lastMessageAt: Date; id: string };
    limit: number;
  };
}) {
  const allowed = await listNumberIdsForUser(ctx.db, ctx.actor);
  if (input.numberId && !allowed.includes(input.numberId)) throw new AppError("NOT_FOUND", "This number does not exist.");
  const rows = await queryConversations(ctx.db, {
    numberIds: input.numberId ? [input.numberId] : allowed,
    view: input.view,
    userId: ctx.actor.userId,
    status: input.status,
    search: input.search?.trim() || undefined,
    cursor: input.cursor,
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit).map(withWindow);
  const last = page.at(-1);
  return {
    conversations: page,
    nextCursor: rows.length > input.limit && last?.lastMessageAt ? `${last.lastMessageAt.toISOString()}|${last.id}` : null,
  };
}
