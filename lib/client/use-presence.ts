"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { PresenceNotice } from "@/lib/realtime/events";
import { useRealtimeSocket } from "./realtime-context";

/** A typing notice is repeated while keys are pressed; one not repeated for this long has stopped. */
const TYPING_REPEAT_MS = 3_000;
const TYPING_EXPIRES_MS = 7_000;

type Peer = { userId: string; name: string; isTyping: boolean; typingAt: number };

/**
 * Teammates in the open conversation, from the sidecar: who is viewing it and who is typing.
 * Keyed by browser tab; a person with two tabs counts once. Never includes the signed-in user.
 */
export function usePresence(conversationId: string, me: string) {
  const socket = useRealtimeSocket();
  const [peers, setPeers] = useState<Map<string, Peer>>(() => new Map());

  useEffect(() => {
    if (!socket) return;
    const clear = () => setPeers(new Map());
    const onPresence = (notice: PresenceNotice) => {
      if (notice.conversationId !== conversationId || notice.userId === me) return;
      setPeers((current) => {
        const next = new Map(current);
        if (notice.state === "left") next.delete(notice.sessionId);
        else
          next.set(notice.sessionId, {
            userId: notice.userId,
            name: notice.name,
            isTyping: notice.state === "typing",
            typingAt: notice.state === "typing" ? Date.now() : 0,
          });
        return next;
      });
    };
    socket.on("presence:changed", onPresence);
    // A new connection re-announces everyone; what was known before may be stale.
    socket.on("disconnect", clear);
    const expiry = setInterval(() => {
      setPeers((current) => {
        const stale = [...current].filter(([, p]) => p.isTyping && Date.now() - p.typingAt > TYPING_EXPIRES_MS);
        if (stale.length === 0) return current;
        const next = new Map(current);
        for (const [id, p] of stale) next.set(id, { ...p, isTyping: false });
        return next;
      });
    }, 1_000);
    return () => {
      socket.off("presence:changed", onPresence);
      socket.off("disconnect", clear);
      clearInterval(expiry);
      clear();
    };
  }, [socket, conversationId, me]);

  const byUser = new Map<string, { name: string; isTyping: boolean }>();
  for (const peer of peers.values()) {
    const known = byUser.get(peer.userId);
    byUser.set(peer.userId, { name: peer.name, isTyping: peer.isTyping || (known?.isTyping ?? false) });
  }
  const people = [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name));
  return {
    viewers: people.filter((p) => !p.isTyping).map((p) => p.name),
    typers: people.filter((p) => p.isTyping).map((p) => p.name),
  };
}

/** Tells teammates this tab is typing in the conversation: at most every few seconds, and when it stops. */
export function useTypingReporter(conversationId: string) {
  const socket = useRealtimeSocket();
  const lastSent = useRef(0);

  const stop = useCallback(() => {
    if (lastSent.current === 0) return;
    lastSent.current = 0;
    socket?.emit("conversation:typing", { conversationId, isTyping: false });
  }, [socket, conversationId]);

  const report = useCallback(
    (text: string) => {
      if (!text.trim()) return stop();
      if (Date.now() - lastSent.current < TYPING_REPEAT_MS) return;
      lastSent.current = Date.now();
      socket?.emit("conversation:typing", { conversationId, isTyping: true });
    },
    [socket, conversationId, stop],
  );

  useEffect(() => stop, [stop]);
  return { report, stop };
}
