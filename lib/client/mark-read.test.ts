import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { afterEach, describe, expect, it } from "vitest";
import { markRead } from "./mark-read";
import { queryKeys } from "./queries";
import type { ConversationDto } from "./types";

const clients: QueryClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.clear();
});

/** An open conversation with one unread message, watched like a mounted thread header. */
async function openConversation() {
  const queryClient = new QueryClient();
  clients.push(queryClient);
  const fetches = { count: 0 };
  const observer = new QueryObserver(queryClient, {
    queryKey: queryKeys.conversation("c1"),
    queryFn: async () => {
      fetches.count++;
      return { id: "c1", unreadCount: 1 } as unknown as ConversationDto;
    },
  });
  observer.subscribe(() => {});
  await observer.refetch();
  fetches.count = 0;
  return { queryClient, fetches };
}

const unreadOf = (queryClient: QueryClient) =>
  queryClient.getQueryData<ConversationDto>(queryKeys.conversation("c1"))?.unreadCount;

describe("marking a conversation read", () => {
  it("with the socket live, is drawn at once and asks the server once, without refetching the conversation", async () => {
    const { queryClient, fetches } = await openConversation();
    const sent: string[] = [];
    const done = markRead(queryClient, "c1", { isLive: true, send: async (id) => void sent.push(id) });
    expect(unreadOf(queryClient)).toBe(0);
    await done;
    expect(sent).toEqual(["c1"]);
    expect(fetches.count).toBe(0);
  });

  it("when polling, or when the request failed, fetches the conversation again", async () => {
    for (const [isLive, send] of [
      [false, async () => {}],
      [true, async () => Promise.reject(new Error("offline"))],
    ] as const) {
      const { queryClient, fetches } = await openConversation();
      await markRead(queryClient, "c1", { isLive, send });
      expect(fetches.count).toBe(1);
    }
  });
});
