"use client";

import { useEffect, useRef } from "react";

/** True while the person is typing somewhere: single-key shortcuts must not steal those keys. */
function isTyping(event: KeyboardEvent) {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/**
 * A single-key shortcut of the inbox (`/`, `j`, `k`, `e`, `a`, `Escape`). Letters and `/` are ignored
 * while typing or with a modifier held; Escape always works.
 */
export function useShortcut(keys: string[], handler: (event: KeyboardEvent) => void, isEnabled = true) {
  const latest = useRef(handler);
  latest.current = handler;
  const keyList = keys.join(" ");
  useEffect(() => {
    if (!isEnabled) return;
    const wanted = new Set(keyList.split(" "));
    const onKeyDown = (event: KeyboardEvent) => {
      if (!wanted.has(event.key) || event.defaultPrevented) return;
      if (event.key !== "Escape" && (isTyping(event) || event.metaKey || event.ctrlKey || event.altKey)) return;
      latest.current(event);
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [keyList, isEnabled]);
}
