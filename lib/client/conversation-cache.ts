import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import { queryKeys } from "./queries";
import { patchThread } from "./realtime-patches";
import type { ConversationDto, ConversationPage, MessageDto, MessagePage } from "./types";

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

/**
 * Redraws one message where its thread is loaded, or takes it out (`null`), without asking for
 * the thread again: a refetch would ask for every page the agent has read back through.
 */
export function redrawMessage(queryClient: QueryClient, conversationId: string, messageId: string, message: MessageDto | null) {
  queryClient.setQueryData<InfiniteData<MessagePage>>(queryKeys.messages(conversationId), (data) => {
    if (!data) return data;
    if (message) {
      const patch = patchThread(data, message);
      return patch.kind === "set" ? patch.data : data;
    }
    return { ...data, pages: data.pages.map((page) => ({ ...page, messages: page.messages.filter((m) => m.id !== messageId) })) };
  });
}
