"use client";

import { useEffect, useState } from "react";

const storageKey = (conversationId: string) => `tandem:draft:${conversationId}`;

function readDraft(conversationId: string) {
  try {
    return window.localStorage.getItem(storageKey(conversationId)) ?? "";
  } catch {
    return ""; // storage disabled: drafts live as long as the page
  }
}

/** The composer's text for a conversation, kept in localStorage so it survives a reload or a closed tab. */
export function useDraft(conversationId: string) {
  const [text, setText] = useState(() => (typeof window === "undefined" ? "" : readDraft(conversationId)));
  useEffect(() => {
    try {
      if (text) window.localStorage.setItem(storageKey(conversationId), text);
      else window.localStorage.removeItem(storageKey(conversationId));
    } catch {
      // Quota or privacy mode: the draft still lives in memory.
    }
  }, [conversationId, text]);
  return [text, setText] as const;
}
