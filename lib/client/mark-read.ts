import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import { markConversationRead, queryKeys } from "./queries";
import type { ConversationDto, ConversationPage } from "./types";

/** Draws a conversation as read: its detail and every loaded list that holds it. */
function drawRead(queryClient: QueryClient, conversationId: string) {
  queryClient.setQueryData<ConversationDto>(queryKeys.conversation(conversationId), (c) => c && { ...c, unreadCount: 0 });
  queryClient.setQueriesData<InfiniteData<ConversationPage>>({ queryKey: queryKeys.conversationLists }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            conversations: page.conversations.map((c) => (c.id === conversationId ? { ...c, unreadCount: 0 } : c)),
          })),
        }
      : data,
  );
}

/**
 * Marks a conversation read: drawn at once, then told to the server. While the socket is live, the
 * server's notice of the change carries the conversation as it stands afterwards (with any message
 * that came meanwhile), so nothing is refetched; when polling, or when the request failed, the
 * conversation is fetched again.
 */
export async function markRead(
  queryClient: QueryClient,
  conversationId: string,
  options: { isLive: boolean; send?: (conversationId: string) => Promise<unknown> },
) {
  drawRead(queryClient, conversationId);
  const send = options.send ?? markConversationRead;
  const sent = await send(conversationId).then(
    () => true,
    () => false,
  );
  if (!sent || !options.isLive) await queryClient.invalidateQueries({ queryKey: queryKeys.conversation(conversationId) });
}
