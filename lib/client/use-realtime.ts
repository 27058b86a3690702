"use client";

import { type InfiniteData, type Query, type QueryClient, useQueryClient } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { ChangeNotice, ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/events";
import { apiFetch } from "./api";
import { type ConversationFilters, queryKeys } from "./queries";
import { type Patch, patchList, patchThread } from "./realtime-patches";
import type { ConversationDto, ConversationPage, MessagePage } from "./types";

/** `live`: notices arrive; `connecting`: (re)connecting; `offline`: the sidecar refuses or cannot be reached. */
export type RealtimeStatus = "connecting" | "live" | "offline";

export type TandemSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const fetchToken = () => apiFetch<{ token: string; url: string }>("/api/realtime/token", { method: "POST" });
/** Tokens live a minute; reuse one for half of that so a sidecar that is down costs no token storm. */
const TOKEN_REUSE_MS = 30_000;
/** Joins the open thread's room. Nothing is lost before the ack: number rooms carry every change. */
const watch = (socket: TandemSocket, conversationId: string) => socket.emit("conversation:watch", conversationId, () => {});
const backoffMs = (attempt: number) => Math.min(30_000, 1_000 * 2 ** attempt);
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

/**
 * Maps notices to cache patches: a notice that carries the conversation or the message is drawn at
 * once, without a request. What cannot be patched (a search, an out-of-order message, a notice
 * without content) is invalidated, gathered for a few milliseconds so a batched webhook (many
 * notices at once) refetches each query once.
 */
function createInvalidator(queryClient: QueryClient, userId: string) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lists = false;
  const queries: (readonly unknown[])[] = [];
  const conversations = new Set<string>();
  const threads = new Set<string>();
  const numberThrottle = new Map<string, { lastAt: number; timer?: ReturnType<typeof setTimeout> }>();

  const flushNumber = (numberId: string) => {
    numberThrottle.set(numberId, { lastAt: Date.now() });
    void queryClient.invalidateQueries({ queryKey: queryKeys.numbers });
    void queryClient.invalidateQueries({ predicate: isListOfNumber(numberId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.unreadCounts });
    void queryClient.invalidateQueries({ predicate: isConversationOfNumber(queryClient, numberId) });
  };

  const flush = () => {
    timer = undefined;
    if (lists) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversationLists });
      void queryClient.invalidateQueries({ queryKey: queryKeys.unreadCounts });
    }
    for (const key of queries) void queryClient.invalidateQueries({ queryKey: key, exact: true });
    for (const id of conversations) void queryClient.invalidateQueries({ queryKey: queryKeys.conversation(id) });
    for (const id of threads) void queryClient.invalidateQueries({ queryKey: queryKeys.messages(id) });
    lists = false;
    queries.length = 0;
    conversations.clear();
    threads.clear();
  };
  const schedule = () => {
    timer ??= setTimeout(flush, 25);
  };
  const apply = <T>(key: readonly unknown[], patch: Patch<T>) => {
    // A fetch in flight may have started before this change and would overwrite the patch with
    // older data: ask again instead (invalidating cancels it and fetches anew).
    const inFlight = queryClient.isFetching({ queryKey: key, exact: true }) > 0;
    if (patch.kind === "set" && !inFlight) {
      queryClient.setQueryData(key, patch.data);
      return;
    }
    queries.push(key);
    schedule();
  };

  const patchConversation = (conversation: ConversationDto) => {
    queryClient.setQueryData<ConversationDto>(queryKeys.conversation(conversation.id), (c) => (c ? conversation : c));
    // Counts span every conversation, so they are asked again rather than patched.
    queries.push(queryKeys.unreadCounts);
    schedule();
    for (const [key, data] of queryClient.getQueriesData<InfiniteData<ConversationPage>>({
      queryKey: queryKeys.conversationLists,
    })) {
      const filters = key[2] as ConversationFilters | undefined;
      apply(key, filters ? patchList(data, conversation, filters, userId) : { kind: "refetch" });
    }
    // A message the open thread has not drawn (sent before the thread's room was joined) is fetched.
    const thread = queryClient.getQueryData<InfiniteData<MessagePage>>(queryKeys.messages(conversation.id));
    const newest = thread?.pages[0]?.messages[0];
    if (thread && conversation.lastMessageAt && (!newest || newest.sentAt < conversation.lastMessageAt)) {
      threads.add(conversation.id);
      schedule();
    }
  };

  return {
    // Sent to every number room for any change, messages included.
    onConversation(notice: ChangeNotice) {
      if (notice.conversation) {
        patchConversation(notice.conversation);
        return;
      }
      lists = true;
      conversations.add(notice.conversationId);
      threads.add(notice.conversationId);
      schedule();
    },
    // Sent only to the watched conversation's room, before the conversation notice.
    onMessage(notice: ChangeNotice) {
      if (notice.message) {
        const key = queryKeys.messages(notice.conversationId);
        apply(key, patchThread(queryClient.getQueryData<InfiniteData<MessagePage>>(key), notice.message));
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
      clearTimeout(timer);
      for (const state of numberThrottle.values()) clearTimeout(state.timer);
    },
  };
}

/** Deactivated or password reset: the session is over here too, at once, not at the next request. */
async function endSession() {
  await signOut({ redirect: false }).catch(() => {});
  const back = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`/login?callbackUrl=${encodeURIComponent(back)}`);
}

/**
 * The inbox's one socket. Notices patch react-query's cache or invalidate it. Watches the open thread and,
 * after every (re)connection, refetches whatever was fetched before it and may have missed notices.
 */
export function useRealtime(
  watchConversationId: string | null,
  userId: string,
): { status: RealtimeStatus; socket: TandemSocket | null } {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<RealtimeStatus>("connecting");
  const [liveSocket, setLiveSocket] = useState<TandemSocket | null>(null);
  const socketRef = useRef<TandemSocket | null>(null);
  const watchedRef = useRef<string | null>(watchConversationId);

  useEffect(() => {
    let disposed = false;
    let socket: TandemSocket | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    const invalidator = createInvalidator(queryClient, userId);

    const start = async () => {
      let first: { token: string; url: string };
      try {
        first = await fetchToken();
      } catch {
        if (disposed) return;
        setStatus("offline");
        retry = setTimeout(start, backoffMs(attempt++));
        return;
      }
      if (disposed) return;

      let current = { token: first.token, at: Date.now() };
      const s: TandemSocket = io(first.url, {
        transports: ["websocket"],
        auth: (cb) => {
          if (Date.now() - current.at < TOKEN_REUSE_MS) {
            cb({ token: current.token });
            return;
          }
          fetchToken().then(
            ({ token }) => {
              current = { token, at: Date.now() };
              cb({ token });
            },
            () => cb({}),
          );
        },
      });
      socket = s;
      socketRef.current = s;
      setLiveSocket(s);

      s.on("connect", () => {
        attempt = 0;
        setStatus("live");
        const connectedAt = Date.now();
        void queryClient.invalidateQueries({ predicate: (query) => query.state.dataUpdatedAt < connectedAt });
        const watched = watchedRef.current;
        if (watched) watch(s, watched);
      });
      s.on("disconnect", () => setStatus("connecting"));
      s.on("connect_error", () => {
        setStatus("offline");
        // socket.io retries transport failures itself, but not a handshake the server refused.
        if (!s.active) retry = setTimeout(() => s.connect(), backoffMs(attempt++));
      });
      s.on("conversation:changed", invalidator.onConversation);
      s.on("message:changed", invalidator.onMessage);
      s.on("number:changed", invalidator.onNumber);
      s.on("labels:changed", () => void queryClient.invalidateQueries({ queryKey: queryKeys.labels }));
      // Numbers were granted or taken away: everything on screen may have changed, and what was
      // fetched before must not stay on screen when the refetch is refused.
      s.on("access:changed", () => {
        void queryClient.resetQueries();
        const watched = watchedRef.current;
        if (watched) watch(s, watched);
      });
      s.on("session:ended", () => {
        disposed = true;
        void endSession();
      });
      s.on("resync", () => void queryClient.invalidateQueries());
    };
    void start();

    return () => {
      disposed = true;
      clearTimeout(retry);
      invalidator.dispose();
      socket?.disconnect();
      socketRef.current = null;
      setLiveSocket(null);
    };
  }, [queryClient, userId]);

  useEffect(() => {
    watchedRef.current = watchConversationId;
    if (!watchConversationId) return;
    const socket = socketRef.current;
    if (socket?.connected) watch(socket, watchConversationId);
    return () => {
      if (socketRef.current?.connected) socketRef.current.emit("conversation:unwatch", watchConversationId);
    };
  }, [watchConversationId]);

  return { status, socket: liveSocket };
}
