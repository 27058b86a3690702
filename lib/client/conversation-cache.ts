import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import { queryKeys } from "./queries";
import type { ConversationDto, ConversationPage } from "./types";

/** Redraws one conversation where it is loaded: its detail and its row in every loaded list. */
export function redrawConversation(
  queryClient: QueryClient,
  conversationId: string,
  change: (conversation: ConversationDto) => ConversationDto,
) {
  queryClient.setQueryData<ConversationDto>(queryKeys.conversation(conversationId), (c) => c && change(c));
  queryClient.setQueriesData<InfiniteData<ConversationPage>>({ queryKey: queryKeys.conversationLists }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            conversations: page.conversations.map((c) => (c.id === conversationId ? change(c) : c)),
          })),
        }
      : data,
  );
}
