"use client";

import { useQueryClient } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/events";
import { apiFetch } from "./api";
import { queryKeys } from "./queries";
import { createInvalidator } from "./realtime-invalidator";

/** `live`: notices arrive; `connecting`: (re)connecting; `offline`: the sidecar refuses or cannot be reached. */
export type RealtimeStatus = "connecting" | "live" | "offline";

export type TandemSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const fetchToken = () => apiFetch<{ token: string; url: string }>("/api/realtime/token", { method: "POST" });
/** Tokens live a minute; reuse one for half of that so a sidecar that is down costs no token storm. */
const TOKEN_REUSE_MS = 30_000;
/** Joins the open thread's room. Nothing is lost before the ack: number rooms carry every change. */
const watch = (socket: TandemSocket, conversationId: string) => socket.emit("conversation:watch", conversationId, () => {});
const backoffMs = (attempt: number) => Math.min(30_000, 1_000 * 2 ** attempt);

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
