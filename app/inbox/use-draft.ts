"use client";

import { useEffect, useState } from "react";

/** A reply goes to the customer, a note stays with the team: each keeps its own draft. */
export type DraftKind = "reply" | "note";

// Replies keep the key drafts had before notes got their own.
const storageKey = (conversationId: string, kind: DraftKind) =>
  kind === "reply" ? `tandem:draft:${conversationId}` : `tandem:draft:${conversationId}:note`;

function readDraft(key: string) {
  try {
    return window.localStorage.getItem(key) ?? "";
  } catch {
    return ""; // storage disabled: drafts live as long as the page
  }
}

/** The composer's text for a conversation, kept in localStorage so it survives a reload or a closed tab. */
export function useDraft(conversationId: string, kind: DraftKind) {
  const key = storageKey(conversationId, kind);
  const [text, setText] = useState(() => (typeof window === "undefined" ? "" : readDraft(key)));
  useEffect(() => {
    try {
      if (text) window.localStorage.setItem(key, text);
      else window.localStorage.removeItem(key);
    } catch {
      // Quota or privacy mode: the draft still lives in memory.
    }
  }, [key, text]);
  return [text, setText] as const;
}
