"use client";

import { useCallback, useState, useSyncExternalStore } from "react";
import { useMediaQuery } from "@/lib/client/use-media-query";

const STORAGE_KEY = "tandem:contact-panel";

/** Used when storage is unavailable (private mode): the choice lasts until the page reloads. */
let memoryPreference: boolean | null = null;

const readPreference = () => {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    if (value !== null) return value === "open";
  } catch {}
  return memoryPreference;
};

/**
 * The contact panel sits beside the thread from 1280 px (open by default only from 1536 px, where
 * the thread keeps room; the agent's choice is remembered) and is a sheet on smaller screens.
 */
export function useContactPanel() {
  const isWide = useMediaQuery("(min-width: 1280px)");
  const isRoomy = useMediaQuery("(min-width: 1536px)");
  const preference = useSyncExternalStore(subscribePreference, readPreference, () => null);
  const [isSheetOpen, setSheetOpen] = useState(false);
  const isOpen = isWide ? (preference ?? isRoomy) : isSheetOpen;

  const setOpen = useCallback(
    (open: boolean) => {
      if (!isWide) {
        setSheetOpen(open);
        return;
      }
      memoryPreference = open;
      try {
        window.localStorage.setItem(STORAGE_KEY, open ? "open" : "closed");
      } catch {}
      for (const listener of preferenceListeners) listener();
    },
    [isWide],
  );

  return { mode: isWide ? ("aside" as const) : ("sheet" as const), isOpen, setOpen };
}

const preferenceListeners = new Set<() => void>();
function subscribePreference(onChange: () => void) {
  preferenceListeners.add(onChange);
  window.addEventListener("storage", onChange);
  return () => {
    preferenceListeners.delete(onChange);
    window.removeEventListener("storage", onChange);
  };
}
