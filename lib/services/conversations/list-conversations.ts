import {
  type ConversationStatus,
  type ConversationSummary,
  type ConversationView,
  listNewestMatchingConversations,
  listSearchedConversations,
  listConversations as queryConversations,
} from "@/db/queries/conversations";
import { agentHoldsNumber, listNumberIdsForUser } from "@/db/queries/numbers";
import { estimateTextMatchShare, parseSearch, type SearchMatch } from "@/db/queries/search";
import { AppError } from "@/lib/errors";
import type { Ctx, UserActor } from "../context";
import { windowExpiresAt } from "./window";

export type ConversationItem = ConversationSummary & {
  windowExpiresAt: Date | null;
  /** During a search, the newest message whose text matched (null when the name or number did). */
  match?: SearchMatch | null;
};

export const withWindow = (c: ConversationSummary): ConversationItem => ({
  ...c,
  windowExpiresAt: windowExpiresAt(c),
});

/**
 * A word in more than this share of messages is searched by walking the newest conversations (a
 * page fills within a few dozen), up to SEARCH_WALK of them; rarer words go through the text index.
 */
export const COMMON_WORD_SHARE = 0.005;
const SEARCH_WALK = 5000;

/**
 * A page of conversations across the numbers the user may see (or one of them). A search matches
 * names of any source, number prefixes and current message text; it never sees other numbers.
 */
export async function listConversationsForUser({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: {
    numberId?: string;
    view: ConversationView;
    status?: ConversationStatus;
    labelId?: string;
    window?: "closing" | "closed";
    search?: string;
    cursor?: { lastMessageAt: Date; id: string };
    limit: number;
  };
}) {
  // One number (the inbox's usual read): the agent's grant is a condition of the read itself, and
  // only an empty page asks whether the number exists for this user.
  const numberIds = input.numberId ? [input.numberId] : await listNumberIdsForUser(ctx.db, ctx.actor);
  const onlyIf = input.numberId && ctx.actor.role !== "admin" ? agentHoldsNumber(ctx.actor.userId, input.numberId) : undefined;
  const search = input.search?.trim() ? parseSearch(input.search) : undefined;
  const query = {
    numberIds,
    onlyIf,
    view: input.view,
    userId: ctx.actor.userId,
    status: input.status,
    labelId: input.labelId,
    window: input.window,
    cursor: input.cursor,
    limit: input.limit + 1,
  };
  let rows: (ConversationSummary & { match?: ConversationItem["match"] })[];
  if (!search) rows = await queryConversations(ctx.db, query);
  else {
    // A common word: the newest conversations, each with its newest matching message, in one statement.
    const common = (await estimateTextMatchShare(ctx.db, search)) >= COMMON_WORD_SHARE;
    rows = common ? await listNewestMatchingConversations(ctx.db, { ...query, terms: search, within: SEARCH_WALK }) : [];
    // Any other search, and a common word that did not fill the page among the newest: the indexes,
    // with the page's matching messages marked in the same statement.
    if (rows.length <= input.limit) rows = await listSearchedConversations(ctx.db, { ...query, terms: search, common });
  }
  if (rows.length === 0 && input.numberId && !(await listNumberIdsForUser(ctx.db, ctx.actor)).includes(input.numberId))
    throw new AppError("NOT_FOUND", "This number does not exist.");
  const page: ConversationItem[] = rows.slice(0, input.limit).map(withWindow);
  const last = page.at(-1);
  return {
    conversations: page,
    nextCursor: rows.length > input.limit && last?.lastMessageAt ? `${last.lastMessageAt.toISOString()}|${last.id}` : null,
  };
}
