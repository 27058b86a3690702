"use client";

import { useCallback, useSyncExternalStore } from "react";

/** Whether a CSS media query matches now, kept current as the window changes (false on the server). */
export function useMediaQuery(query: string) {
  return useSyncExternalStore(
    useCallback(
      (onChange: () => void) => {
        const list = window.matchMedia(query);
        list.addEventListener("change", onChange);
        return () => list.removeEventListener("change", onChange);
      },
      [query],
    ),
    () => window.matchMedia(query).matches,
    () => false,
  );
}
