import type { InfiniteData, Query, QueryClient, QueryFilters } from "@tanstack/react-query";
import type { ChangeNotice } from "@/lib/realtime/events";
import { type ConversationFilters, conversationUpdateKey, queryKeys } from "./queries";
import { type Patch, patchList, patchThread } from "./realtime-patches";
import type { ConversationDto, ConversationPage, MessageDto, MessagePage } from "./types";

/** A history import announces every chunk on its number: refetch at most this often per number. */
const NUMBER_THROTTLE_MS = 500;

/** Conversation lists that may show a number's conversations: that number's, and the "all numbers" ones. */
const isListOfNumber = (numberId: string) => (query: Query) => {
  const [root, kind, filters] = query.queryKey as [string, string, ConversationFilters | undefined];
  return root === "conversations" && kind === "list" && (!filters?.numberId || filters.numberId === numberId);
};

/**
 * A number change (a history chunk, a lifecycle event) comes without per-conversation notices, so
 * the open thread and its header of that number refresh too; others are only marked stale.
 */
const isConversationOfNumber = (queryClient: QueryClient, numberId: string) => (query: Query) => {
  const [root, kind, id] = query.queryKey as [string, string, string];
  if (root !== "conversations" || (kind !== "detail" && kind !== "messages")) return false;
  return queryClient.getQueryData<ConversationDto>(queryKeys.conversation(id))?.numberId === numberId;
};

/** Unread counts span every conversation: under a stream of notices, asked again at most this often. */
const COUNTS_THROTTLE_MS = 1_000;

/** Messages of the open thread arriving faster than this (one frame at 60 Hz) are drawn together. */
const MESSAGES_EVERY_MS = 16;
/**
 * Conversations for the lists, likewise: the first at once, then at most four times a second while
 * they keep coming. A list redrawn 60 times a second cannot be read anyway, and under hundreds of
 * notices a second its drawing took most of a core from the page and the machine it runs on.
 */
const CONVERSATIONS_EVERY_MS = 250;

type Key = readonly unknown[];
type PatchOf = (data: unknown) => Patch<unknown>;

/** Several changes applied to one cached value in order: refetch if any of them asks to. */
function foldPatches<T, C>(data: T | undefined, changes: C[], patch: (data: T | undefined, change: C) => Patch<T>): Patch<T> {
  let result: Patch<T> = { kind: "keep" };
  for (const change of changes) {
    const next = patch(result.kind === "set" ? result.data : data, change);
    if (next.kind === "refetch") return next;
    if (next.kind === "set") result = next;
  }
  return result;
}

/** Runs `draw` at once when queued, then at most every `everyMs` while more is queued. */
function drawingWindow(draw: () => void, everyMs: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let drawnAt = 0;
  const run = () => {
    clearTimeout(timer);
    timer = undefined;
    drawnAt = Date.now();
    draw();
  };
  return {
    queue() {
      if (timer) return;
      const wait = drawnAt + everyMs - Date.now();
      if (wait <= 0) run();
      else timer = setTimeout(run, wait);
    },
    /** Draws what is queued now (and starts a new window). */
    draw: run,
    dispose: () => clearTimeout(timer),
  };
}

/**
 * Maps notices to cache patches: a notice that carries the conversation or the message is drawn at
 * once, without a request. What cannot be patched (a search, an out-of-order message, a notice
 * without content) is refetched, gathered for a few milliseconds so a batched webhook (many
 * notices at once) refetches each query once.
 *
 * A query being fetched when a notice arrives is never cancelled for it: its answer may predate
 * the change, so a patch is drawn at once and applied again to the answer, and a refetch waits for
 * the answer and follows it. Cancelling instead made a steady stream of notices (hundreds a second
 * under load) refetch the open list and thread on every one, without end.
 */
export function createInvalidator(queryClient: QueryClient, userId: string) {
  const cache = queryClient.getQueryCache();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lists = false;
  const queries = new Map<string, Key>();
  const conversations = new Set<string>();
  const threads = new Set<string>();
  const numberThrottle = new Map<string, { lastAt: number; timer?: ReturnType<typeof setTimeout> }>();
  let counts: { lastAt: number; timer?: ReturnType<typeof setTimeout> } = { lastAt: 0 };
  // By query hash: patches to apply again, and refetches to make, once the fetch in flight answers.
  const replays = new Map<string, PatchOf[]>();
  const refetchAfter = new Set<string>();

  const isFetching = (query: Query | undefined) => query?.state.fetchStatus === "fetching";

  /** Refetches the matching queries: at once when idle, after its answer when one is in flight. */
  const refetch = (filters: QueryFilters) => {
    for (const query of cache.findAll(filters)) {
      if (isFetching(query)) refetchAfter.add(query.queryHash);
      else void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
    }
  };

  const unsubscribe = cache.subscribe((event) => {
    if (event.type !== "updated") return;
    const { action, query } = event;
    // A fetch's own answer (not a patch written with setQueryData) or its failure.
    const settled = (action.type === "success" && !action.manual) || action.type === "error";
    if (!settled) return;
    const patches = replays.get(query.queryHash);
    replays.delete(query.queryHash);
    if (refetchAfter.delete(query.queryHash)) {
      void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
      return;
    }
    if (action.type === "success") for (const patchOf of patches ?? []) apply(query.queryKey, patchOf);
  });

  const recount = () => {
    if (counts.timer) return;
    const wait = Math.max(0, counts.lastAt + COUNTS_THROTTLE_MS - Date.now());
    counts.timer = setTimeout(() => {
      counts = { lastAt: Date.now() };
      refetch({ queryKey: queryKeys.unreadCounts, exact: true });
    }, wait);
  };

  const flushNumber = (numberId: string) => {
    numberThrottle.set(numberId, { lastAt: Date.now() });
    refetch({ queryKey: queryKeys.numbers });
    refetch({ predicate: isListOfNumber(numberId) });
    refetch({ queryKey: queryKeys.unreadCounts });
    refetch({ predicate: isConversationOfNumber(queryClient, numberId) });
  };

  const flush = () => {
    timer = undefined;
    if (lists) {
      refetch({ queryKey: queryKeys.conversationLists });
      recount();
    }
    for (const key of queries.values()) refetch({ queryKey: key, exact: true });
    for (const id of conversations) refetch({ queryKey: queryKeys.conversation(id) });
    for (const id of threads) refetch({ queryKey: queryKeys.messages(id) });
    lists = false;
    queries.clear();
    conversations.clear();
    threads.clear();
  };
  const schedule = () => {
    timer ??= setTimeout(flush, 25);
  };

  function apply(key: Key, patchOf: PatchOf) {
    const query = cache.find({ queryKey: key, exact: true });
    const patch = patchOf(query?.state.data);
    if (patch.kind === "refetch") {
      queries.set(query?.queryHash ?? JSON.stringify(key), key);
      schedule();
      return;
    }
    if (patch.kind === "set") queryClient.setQueryData(key, patch.data);
    if (query && isFetching(query)) replays.set(query.queryHash, [...(replays.get(query.queryHash) ?? []), patchOf]);
  }

  // A conversation the agent is changing here is drawn by that change's answer, which also refetches
  // the lists: a notice read before the change committed would undo what the agent just did.
  const isBeingChanged = (id: string) => queryClient.isMutating({ mutationKey: conversationUpdateKey(id) }) > 0;

  const patchConversations = (notified: ConversationDto[]) => {
    const changed = notified.filter((c) => !isBeingChanged(c.id));
    if (changed.length === 0) return;
    for (const conversation of changed)
      queryClient.setQueryData<ConversationDto>(queryKeys.conversation(conversation.id), (c) => (c ? conversation : c));
    recount();
    for (const query of cache.findAll({ queryKey: queryKeys.conversationLists })) {
      const filters = query.queryKey[2] as ConversationFilters | undefined;
      apply(query.queryKey, (data) =>
        filters
          ? foldPatches(data as InfiniteData<ConversationPage> | undefined, changed, (d, c) => patchList(d, c, filters, userId))
          : { kind: "refetch" },
      );
    }
    // A message the open thread has not drawn (sent before the thread's room was joined) is fetched.
    for (const conversation of changed) {
      const thread = queryClient.getQueryData<InfiniteData<MessagePage>>(queryKeys.messages(conversation.id));
      const newest = thread?.pages[0]?.messages[0];
      if (thread && conversation.lastMessageAt && (!newest || newest.sentAt < conversation.lastMessageAt)) {
        threads.add(conversation.id);
        schedule();
      }
    }
  };

  // Notices that carry content, drawn together: at most one cache update per query in each window,
  // the first at once. Hundreds of notices a second drawn one by one each re-rendered the list, and
  // the page fell behind its socket. The open thread's messages keep a window of their own: a
  // message is not held back by the list's stream of other conversations.
  const pendingConversations = new Map<string, ConversationDto>();
  const pendingMessages = new Map<string, MessageDto[]>();
  const drawMessages = () => {
    for (const [conversationId, messages] of pendingMessages)
      apply(queryKeys.messages(conversationId), (data) =>
        foldPatches(data as InfiniteData<MessagePage> | undefined, messages, patchThread),
      );
    pendingMessages.clear();
  };
  const drawConversations = () => {
    // Messages first: the thread then holds them when its conversation says a newer one exists.
    if (pendingMessages.size > 0) messageWindow.draw();
    const conversations = [...pendingConversations.values()];
    pendingConversations.clear();
    if (conversations.length > 0) patchConversations(conversations);
  };
  const messageWindow = drawingWindow(drawMessages, MESSAGES_EVERY_MS);
  const conversationWindow = drawingWindow(drawConversations, CONVERSATIONS_EVERY_MS);

  return {
    // Sent to every number room for any change, messages included.
    onConversation(notice: ChangeNotice) {
      if (notice.conversation) {
        // A later notice of the same conversation carries a state at least as new.
        pendingConversations.delete(notice.conversationId);
        pendingConversations.set(notice.conversationId, notice.conversation);
        conversationWindow.queue();
        return;
      }
      lists = true;
      conversations.add(notice.conversationId);
      threads.add(notice.conversationId);
      schedule();
    },
    // Sent only to the watched conversation's room, before the conversation notice.
    onMessage(notice: ChangeNotice) {
      const { message } = notice;
      if (message) {
        pendingMessages.set(notice.conversationId, [...(pendingMessages.get(notice.conversationId) ?? []), message]);
        messageWindow.queue();
        return;
      }
      threads.add(notice.conversationId);
      schedule();
    },

    // Leading and trailing: the first notice refreshes at once, a burst at most every 500 ms.
    onNumber(notice: { numberId: string }) {
      const state = numberThrottle.get(notice.numberId);
      if (state?.timer) return;
      const wait = state ? state.lastAt + NUMBER_THROTTLE_MS - Date.now() : 0;
      if (!state || wait <= 0) flushNumber(notice.numberId);
      else state.timer = setTimeout(() => flushNumber(notice.numberId), wait);
    },
    dispose() {
      unsubscribe();
      clearTimeout(timer);
      messageWindow.dispose();
      conversationWindow.dispose();
      clearTimeout(counts.timer);
      for (const state of numberThrottle.values()) clearTimeout(state.timer);
    },
  };
}
