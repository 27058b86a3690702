"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { PresenceNotice } from "@/lib/realtime/events";
import { useRealtimeSocket } from "./realtime-context";

/** A typing notice is repeated while keys are pressed; one not repeated for this long has stopped. */
const TYPING_REPEAT_MS = 3_000;
const TYPING_EXPIRES_MS = 7_000;

/** What a teammate is writing: a reply to the customer or a note for the team. */
export type Writing = "reply" | "note";

type Peer = { userId: string; name: string; writing: Writing | null; typingAt: number };

/**
 * Teammates in the open conversation, from the sidecar: who is viewing it, who is typing a reply
 * and who is writing a note.
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
        else {
          const writing = notice.state === "typing" ? "reply" : notice.state === "typing_note" ? "note" : null;
          next.set(notice.sessionId, {
            userId: notice.userId,
            name: notice.name,
            writing,
            typingAt: writing ? Date.now() : 0,
          });
        }
        return next;
      });
    };
    socket.on("presence:changed", onPresence);
    // A new connection re-announces everyone; what was known before may be stale.
    socket.on("disconnect", clear);
    const expiry = setInterval(() => {
      setPeers((current) => {
        const stale = [...current].filter(([, p]) => p.writing && Date.now() - p.typingAt > TYPING_EXPIRES_MS);
        if (stale.length === 0) return current;
        const next = new Map(current);
        for (const [id, p] of stale) next.set(id, { ...p, writing: null });
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

  // One person in two tabs: a reply in either outranks a note, which outranks viewing.
  const byUser = new Map<string, { name: string; writing: Writing | null }>();
  for (const peer of peers.values()) {
    const known = byUser.get(peer.userId)?.writing ?? null;
    const writing = known === "reply" || peer.writing === "reply" ? "reply" : (known ?? peer.writing);
    byUser.set(peer.userId, { name: peer.name, writing });
  }
  const people = [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name));
  const namesOf = (writing: Writing | null) => people.filter((p) => p.writing === writing).map((p) => p.name);
  return { viewers: namesOf(null), typers: namesOf("reply"), noteWriters: namesOf("note") };
}

/**
 * Tells teammates this tab is writing a reply or a note in the conversation: at most every few
 * seconds, at once when it switches between them, and when it stops.
 */
export function useTypingReporter(conversationId: string) {
  const socket = useRealtimeSocket();
  const lastSent = useRef<{ at: number; writing: Writing } | null>(null);

  const stop = useCallback(() => {
    if (!lastSent.current) return;
    lastSent.current = null;
    socket?.emit("conversation:typing", { conversationId, isTyping: false });
  }, [socket, conversationId]);

  const report = useCallback(
    (text: string, writing: Writing) => {
      if (!text.trim()) return stop();
      const last = lastSent.current;
      if (last?.writing === writing && Date.now() - last.at < TYPING_REPEAT_MS) return;
      lastSent.current = { at: Date.now(), writing };
      socket?.emit("conversation:typing", { conversationId, isTyping: true, isNote: writing === "note" });
    },
    [socket, conversationId, stop],
  );

  useEffect(() => stop, [stop]);
  return { report, stop };
}
