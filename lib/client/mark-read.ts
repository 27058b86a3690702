import type { QueryClient } from "@tanstack/react-query";
import { redrawConversation } from "./conversation-cache";
import { markConversationRead, queryKeys } from "./queries";

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
  redrawConversation(queryClient, conversationId, (c) => ({ ...c, unreadCount: 0 }));
  const send = options.send ?? markConversationRead;
  const sent = await send(conversationId).then(
    () => true,
    () => false,
  );
  if (!sent || !options.isLive) await queryClient.invalidateQueries({ queryKey: queryKeys.conversation(conversationId) });
}
