"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import type { ConversationStatus, ConversationView } from "@/lib/client/types";

/** The inbox's state lives in the URL (`?number=&view=&status=&label=&q=&c=&m=`) so reloads and links keep it. */
export type InboxParams = {
  numberId: string | null;
  view: ConversationView;
  /** null = every status (`status=all`); the default is `open`. */
  status: ConversationStatus | null;
  labelId: string | null;
  q: string;
  conversationId: string | null;
  /** Conversations whose window closes within 2 hours, or is closed. */
  window: "closing" | "closed" | null;
  /** A message to open the thread at (a search hit). */
  messageId: string | null;
};

export type InboxPatch = Partial<Record<"number" | "view" | "status" | "label" | "q" | "c" | "m" | "window", string | null>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const views: ConversationView[] = ["all", "mine", "unassigned"];
const statuses: ConversationStatus[] = ["open", "pending", "snoozed", "resolved"];

export function parseInboxParams(search: URLSearchParams): InboxParams {
  const number = search.get("number");
  const view = search.get("view");
  const status = search.get("status");
  const c = search.get("c");
  const m = search.get("m");
  const label = search.get("label");
  return {
    numberId: number && UUID.test(number) ? number : null,
    view: views.find((v) => v === view) ?? "all",
    status: status === "all" ? null : (statuses.find((s) => s === status) ?? "open"),
    labelId: label && UUID.test(label) ? label : null,
    q: (search.get("q") ?? "").slice(0, 200),
    conversationId: c && UUID.test(c) ? c : null,
    window: search.get("window") === "closing" ? "closing" : search.get("window") === "closed" ? "closed" : null,
    messageId: m && UUID.test(m) ? m : null,
  };
}

export function useInboxParams() {
  const search = useSearchParams();
  const params = useMemo(() => parseInboxParams(new URLSearchParams(search.toString())), [search]);

  const hrefFor = useCallback(
    (patch: InboxPatch) => {
      const next = new URLSearchParams(search.toString());
      for (const [key, value] of Object.entries(patch)) {
        if (value === null || value === undefined || value === "") next.delete(key);
        else next.set(key, value);
      }
      // Defaults stay out of the URL.
      if (next.get("view") === "all") next.delete("view");
      if (next.get("status") === "open") next.delete("status");
      const qs = next.toString();
      return qs ? `/inbox?${qs}` : "/inbox";
    },
    [search],
  );

  /** Changes the URL without a server round trip; Next.js keeps `useSearchParams` in sync. */
  const navigate = useCallback(
    (patch: InboxPatch, options: { replace?: boolean } = {}) => {
      const href = hrefFor(patch);
      if (options.replace) window.history.replaceState(null, "", href);
      else window.history.pushState(null, "", href);
    },
    [hrefFor],
  );

  return { params, hrefFor, navigate };
}
