"use client";

import { useEffect, useState } from "react";
import { serverNow } from "@/lib/client/server-clock";

/**
 * The current time on the server's clock, read at every render and re-rendered every `intervalMs`, so countdowns and
 * relative times stay true, also right after new data arrives.
 */
export function useNow(intervalMs: number) {
  useClockTick(intervalMs);
  return serverNow();
}

/** A number that moves on every `intervalMs`: a memoized part given it draws again as time passes. */
export function useClockTick(intervalMs: number) {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return tick;
}
