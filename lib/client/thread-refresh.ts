import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import { fetchMessagePage, queryKeys } from "./queries";
import type { MessagePage } from "./types";

/**
 * Puts a freshly fetched newest page on top of a loaded thread (pages newest first): the fresh
 * page replaces what it covers, and the loaded messages older than its oldest stay as they are.
 * When it does not reach the loaded ones (more new messages than a page), the thread starts
 * again from the fresh page.
 */
export function mergeNewestPage(data: InfiniteData<MessagePage> | undefined, fresh: MessagePage): InfiniteData<MessagePage> {
  const oldest = fresh.messages.at(-1);
  const at = oldest ? (data?.pages ?? []).findIndex((page) => page.messages.some((m) => m.id === oldest.id)) : -1;
  if (!data || !oldest || fresh.nextCursor === null || at === -1) return { pages: [fresh], pageParams: [null] };
  const freshIds = new Set(fresh.messages.map((m) => m.id));
  const page = data.pages[at]!;
  const rest = page.messages.slice(page.messages.findIndex((m) => m.id === oldest.id) + 1);
  const later = data.pages.slice(at + 1).map((p) => ({ ...p, messages: p.messages.filter((m) => !freshIds.has(m.id)) }));
  return {
    pages: [{ messages: [...fresh.messages, ...rest.filter((m) => !freshIds.has(m.id))], nextCursor: page.nextCursor }, ...later],
    pageParams: [null, ...data.pageParams.slice(at + 1)],
  };
}

/**
 * Brings a thread up to date by asking for its newest page only. Invalidating the infinite query
 * instead would ask again for every loaded page, one after another: hundreds of requests for an
 * agent who has read far back in a long thread.
 */
export async function refreshThread(queryClient: QueryClient, conversationId: string) {
  const key = queryKeys.messages(conversationId);
  const loaded = queryClient.getQueryData<InfiniteData<MessagePage>>(key);
  if (!loaded || loaded.pages.length <= 1) return queryClient.invalidateQueries({ queryKey: key, exact: true });
  const fresh = await fetchMessagePage(conversationId, null);
  queryClient.setQueryData<InfiniteData<MessagePage>>(key, (current) => mergeNewestPage(current, fresh));
}
