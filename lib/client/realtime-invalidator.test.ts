import { type InfiniteData, InfiniteQueryObserver, QueryClient, QueryObserver } from "@tanstack/react-query";
import { afterEach, describe, expect, it } from "vitest";
import { type ConversationFilters, conversationUpdateKey, queryKeys } from "./queries";
import { createInvalidator } from "./realtime-invalidator";
import type { ConversationDto, ConversationPage, MessageDto, MessagePage } from "./types";

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, second)).toISOString();
const conversation = (id: string, second: number) =>
  ({
    id,
    numberId: "n1",
    status: "open",
    assigneeId: null,
    labelIds: [],
    lastMessageAt: at(second),
  }) as unknown as ConversationDto;
const message = (id: string, second: number) => ({ id, sentAt: at(second), body: id }) as unknown as MessageDto;
const all: ConversationFilters = { numberId: null, view: "all", status: null, search: "" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A server that answers after `latencyMs`, with what it holds when the request arrives. */
function fakeServer(latencyMs: number) {
  const state = { conversations: [conversation("seed", 0)], messages: [message("m0", 0)] };
  const requests = { list: 0, counts: 0, thread: 0 };
  const answer = async <T>(read: () => T) => {
    const snapshot = read();
    await sleep(latencyMs);
    return snapshot;
  };
  return {
    state,
    requests,
    list: () => {
      requests.list++;
      return answer(() => ({ conversations: [...state.conversations], nextCursor: null }) as ConversationPage);
    },
    counts: () => {
      requests.counts++;
      return answer(() => ({ all: state.conversations.length, mine: 0, unassigned: 0 }));
    },
    thread: () => {
      requests.thread++;
      return answer(() => ({ messages: [...state.messages], nextCursor: null }) as MessagePage);
    },
  };
}

const clients: QueryClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.clear();
});

/** An open inbox: the list, the unread counts and one open thread, each watched like a mounted component. */
async function openInbox(server: ReturnType<typeof fakeServer>) {
  const queryClient = new QueryClient();
  clients.push(queryClient);
  const list = new InfiniteQueryObserver(queryClient, {
    queryKey: queryKeys.conversationList(all),
    queryFn: server.list,
    initialPageParam: null,
    getNextPageParam: () => null,
  });
  const counts = new QueryObserver(queryClient, { queryKey: queryKeys.unreadCounts, queryFn: server.counts });
  const thread = new InfiniteQueryObserver(queryClient, {
    queryKey: queryKeys.messages("seed"),
    queryFn: server.thread,
    initialPageParam: null,
    getNextPageParam: () => null,
  });
  for (const observer of [list, counts, thread]) observer.subscribe(() => {});
  await sleep(100);
  return { queryClient, invalidator: createInvalidator(queryClient, "me") };
}

const listIds = (queryClient: QueryClient) =>
  queryClient
    .getQueryData<InfiniteData<ConversationPage>>(queryKeys.conversationList(all))
    ?.pages.flatMap((p) => p.conversations.map((c) => c.id));
const threadIds = (queryClient: QueryClient) =>
  queryClient
    .getQueryData<InfiniteData<MessagePage>>(queryKeys.messages("seed"))
    ?.pages.flatMap((p) => p.messages.map((m) => m.id));

describe("the realtime invalidator under a steady stream of notices", () => {
  it("draws new conversations into an open list without refetching it on every notice, even while a fetch is in flight", async () => {
    const server = fakeServer(40);
    const { queryClient, invalidator } = await openInbox(server);
    const before = { ...server.requests };
    // A refetch in flight (a reconnect, a window focus) when the stream starts.
    void queryClient.invalidateQueries({ queryKey: queryKeys.conversationLists });
    for (let i = 1; i <= 40; i++) {
      const changed = conversation(`c${i}`, i);
      server.state.conversations.unshift(changed);
      invalidator.onConversation({ numberId: "n1", conversationId: changed.id, conversation: changed });
      await sleep(5);
    }
    await sleep(300);
    invalidator.dispose();
    // 40 notices in 200 ms: the one refetch already asked for, not one per notice or per batch.
    expect(server.requests.list - before.list).toBeLessThanOrEqual(2);
    // Unread counts span every conversation, so they are asked again, but not for every notice.
    expect(server.requests.counts - before.counts).toBeLessThanOrEqual(3);
    // A page holds 40 rows: the oldest, "seed", was pushed out to the next page.
    expect(listIds(queryClient)).toEqual(Array.from({ length: 40 }, (_, i) => `c${40 - i}`));
  });

  it("draws new messages into an open thread without refetching it, even while a fetch is in flight", async () => {
    const server = fakeServer(40);
    const { queryClient, invalidator } = await openInbox(server);
    const before = server.requests.thread;
    void queryClient.invalidateQueries({ queryKey: queryKeys.messages("seed") });
    for (let i = 1; i <= 20; i++) {
      const added = message(`m${i}`, i);
      server.state.messages.unshift(added);
      invalidator.onMessage({ numberId: "n1", conversationId: "seed", messageId: added.id, message: added });
      await sleep(5);
    }
    await sleep(300);
    invalidator.dispose();
    expect(server.requests.thread - before).toBeLessThanOrEqual(2);
    expect(threadIds(queryClient)).toEqual([...Array.from({ length: 20 }, (_, i) => `m${20 - i}`), "m0"]);
  });

  it("draws a stream of notices a few times a second, not once per frame (each update re-renders the list)", async () => {
    const server = fakeServer(5);
    const { queryClient, invalidator } = await openInbox(server);
    let listUpdates = 0;
    const listHash = queryClient.getQueryCache().find({ queryKey: queryKeys.conversationList(all), exact: true })?.queryHash;
    const unsubscribe = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === "updated" && event.action.type === "success" && event.query.queryHash === listHash) listUpdates++;
    });
    // 30 notices in one go, as one worker batch arrives: the first is drawn at once, the rest wait.
    for (let i = 1; i <= 30; i++) {
      const changed = conversation(`c${i}`, i);
      invalidator.onConversation({ numberId: "n1", conversationId: changed.id, conversation: changed });
    }
    expect(listIds(queryClient)?.[0]).toBe("c1");
    // Then a second of notices 5 ms apart (200 a second, the bench's background load).
    const started = Date.now();
    for (let i = 31; Date.now() - started < 1_000; i++) {
      const changed = conversation(`c${i}`, i);
      invalidator.onConversation({ numberId: "n1", conversationId: changed.id, conversation: changed });
      await sleep(5);
    }
    await sleep(300);
    unsubscribe();
    invalidator.dispose();
    expect(listUpdates).toBeGreaterThanOrEqual(2);
    expect(listUpdates).toBeLessThanOrEqual(7);
    // Nothing is lost: the last window draws the newest.
    expect(Number(listIds(queryClient)?.[0]?.slice(1))).toBeGreaterThan(60);
  });

  it("draws a message of the open thread at once, not after the window of the list's other notices", async () => {
    const server = fakeServer(5);
    const { queryClient, invalidator } = await openInbox(server);
    const before = { ...server.requests };
    // Another conversation's notice was just drawn: the list's window is open for 250 ms.
    invalidator.onConversation({ numberId: "n1", conversationId: "c1", conversation: conversation("c1", 1) });
    const added = message("m1", 2);
    invalidator.onMessage({ numberId: "n1", conversationId: "seed", messageId: added.id, message: added });
    expect(threadIds(queryClient)).toEqual(["m1", "m0"]);
    // Its conversation's notice, held by the list's window, is drawn after it without a refetch.
    invalidator.onConversation({ numberId: "n1", conversationId: "seed", conversation: conversation("seed", 2) });
    await sleep(300);
    invalidator.dispose();
    expect(listIds(queryClient)?.slice(0, 2)).toEqual(["seed", "c1"]);
    expect(server.requests.thread - before.thread).toBe(0);
  });

  it("leaves a conversation the agent is changing to the change's own answer: a notice read before it would undo the tick", async () => {
    const { queryClient, invalidator } = await openInbox(fakeServer(5));
    const detail = queryKeys.conversation("seed");
    queryClient.setQueryData(detail, { ...conversation("seed", 0), labelIds: ["vip"] });
    let save!: () => void;
    const saving = queryClient
      .getMutationCache()
      .build(queryClient, {
        mutationKey: conversationUpdateKey("seed"),
        mutationFn: () => new Promise<void>((resolve) => (save = resolve)),
      })
      .execute(undefined);
    await sleep(5);
    // The notice of a change committed before the agent ticked the label (marking it read, say).
    invalidator.onConversation({ numberId: "n1", conversationId: "seed", conversation: conversation("seed", 0) });
    await sleep(60);
    expect(queryClient.getQueryData<ConversationDto>(detail)?.labelIds).toEqual(["vip"]);
    save();
    await saving;
    invalidator.dispose();
  });
});
