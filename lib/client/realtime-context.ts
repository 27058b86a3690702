"use client";

import { createContext, useContext } from "react";
import type { TandemSocket } from "./use-realtime";

/** The inbox's one socket, for hooks that speak to the sidecar (presence, typing, alerts); null until it exists. */
export const RealtimeSocketContext = createContext<TandemSocket | null>(null);

export const useRealtimeSocket = () => useContext(RealtimeSocketContext);
