"use client";

import type { InfiniteData, UseInfiniteQueryResult } from "@tanstack/react-query";
import { type RefObject, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ArrowDownIcon } from "@/components/ui/icons";
import { dayKey, formatDayLabel } from "@/lib/client/format";
import type { MessageDto, MessagePage } from "@/lib/client/types";
import type { ReplyTarget } from "./composer";
import { describeType } from "./message-body";
import { MessageItem, type ThreadContext } from "./message-item";

function groupByDay(messages: MessageDto[]) {
  const groups: { key: string; firstAt: string; messages: MessageDto[] }[] = [];
  for (const message of messages) {
    const key = dayKey(message.sentAt);
    const last = groups.at(-1);
    if (last?.key === key) last.messages.push(message);
    else groups.push({ key, firstAt: message.sentAt, messages: [message] });
  }
  return groups;
}

/** The scrolling thread: day groups, older pages on scroll, the first unread message, jumps to quotes. */
export function MessageLog({
  conversationId,
  focusMessageId,
  unreadAtOpen,
  query,
  now,
  isNearBottom,
  customerName,
  userName,
  onboardedAt,
  onReply,
}: {
  conversationId: string;
  focusMessageId: string | null;
  unreadAtOpen: number;
  query: UseInfiniteQueryResult<InfiniteData<MessagePage>, Error>;
  now: Date;
  isNearBottom: RefObject<boolean>;
  customerName: string;
  userName: string;
  onboardedAt: string | null;
  /** Quotes a message in the composer. */
  onReply: (target: ReplyTarget) => void;
}) {
  const ordered = useMemo(() => {
    const seen = new Set<string>();
    const out: MessageDto[] = [];
    for (const page of query.data?.pages ?? []) {
      for (const m of page.messages) {
        // An agent's reaction shows on the bubble it reacts to; only a failed one needs its own row.
        if (m.type === "reaction" && m.direction === "outbound" && m.status !== "failed") continue;
        if (!seen.has(m.id)) {
          seen.add(m.id);
          out.push(m);
        }
      }
    }
    return out.reverse();
  }, [query.data]);

  // The first unread customer message, fixed once found so new arrivals do not move the divider.
  const firstUnread = useRef<string | null | undefined>(undefined);
  if (firstUnread.current === undefined && ordered.length > 0) {
    let left = unreadAtOpen;
    firstUnread.current = null;
    for (let i = ordered.length - 1; i >= 0 && left > 0; i--) {
      const m = ordered[i]!;
      if (m.direction === "inbound" && m.origin === "customer") {
        left--;
        if (left === 0) firstUnread.current = m.id;
      }
    }
  }

  const unreadLabel = unreadAtOpen === 1 ? "1 unread message" : `${unreadAtOpen} unread messages`;

  const scroller = useRef<HTMLDivElement>(null);
  const [jumpNotice, setJumpNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!jumpNotice) return;
    const timer = setTimeout(() => setJumpNotice(null), 5000);
    return () => clearTimeout(timer);
  }, [jumpNotice]);

  const context = useMemo<ThreadContext>(() => {
    const byId = new Map(ordered.map((m) => [m.id, m]));
    return {
      customerName,
      userName,
      onboardedAt,
      findMessage: (id) => byId.get(id),
      onReply: (m) => {
        if (!m.wamid) return;
        const author =
          m.direction === "inbound" ? customerName : m.authorName && m.authorName !== userName ? m.authorName : "You";
        onReply({ wamid: m.wamid, author, excerpt: (m.editedBody ?? m.body) || describeType(m.type) });
      },
      onJumpTo: (id) => {
        const target = scroller.current?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(id)}"]`);
        if (!target) {
          setJumpNotice("The quoted message is older than the messages loaded here. Load older messages to find it.");
          return;
        }
        const isReduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
        target.scrollIntoView({ block: "center", behavior: isReduced ? "auto" : "smooth" });
        target.focus({ preventScroll: true });
        target.animate([{ backgroundColor: "rgb(253 224 71 / 0.45)" }, { backgroundColor: "rgb(253 224 71 / 0)" }], {
          duration: 2000,
          easing: "ease-in",
        });
      },
    };
  }, [ordered, customerName, userName, onboardedAt, onReply]);

  const distanceFromBottom = useRef(0);
  const edges = useRef<{ first?: string; last?: string }>({});
  const [hasNewBelow, setHasNewBelow] = useState(false);

  const scrollToBottom = () => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
    isNearBottom.current = true;
    setHasNewBelow(false);
  };
  // The day of the topmost message on screen, shown in a band above the log: a sticky label inside
  // it would cover the bubble under it.
  const [topDay, setTopDay] = useState<string | null>(null);
  const updateTopDay = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const top = el.getBoundingClientRect().top + 4;
    let label: string | null = null;
    for (const day of el.querySelectorAll<HTMLElement>("[data-day-label]")) {
      if (day.getBoundingClientRect().top > top) break;
      label = day.dataset.dayLabel ?? null;
    }
    setTopDay(label ?? el.querySelector<HTMLElement>("[data-day-label]")?.dataset.dayLabel ?? null);
  }, []);
  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    updateTopDay();
    isNearBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    distanceFromBottom.current = el.scrollHeight - el.scrollTop;
    if (isNearBottom.current) setHasNewBelow(false);
  };

  // Keep the reading position: open at the newest message, follow new ones when already at the
  // bottom, and stay on the same message when older ones are added above.
  useLayoutEffect(() => {
    const el = scroller.current;
    const first = ordered[0]?.id;
    const last = ordered.at(-1)?.id;
    if (!el || !first || !last) return;
    const previous = edges.current;
    if (!previous.last) {
      const unread = firstUnread.current && el.querySelector<HTMLElement>("[data-unread-divider]");
      const isFocusLoaded = focusMessageId !== null && ordered.some((m) => m.id === focusMessageId);
      if (isFocusLoaded) {
        el.scrollTop = el.scrollHeight;
        context.onJumpTo(focusMessageId);
        isNearBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
      } else if (unread) {
        // Open at the first unread message, not at the newest.
        el.scrollTop = unread.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop - 16;
        isNearBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
      } else el.scrollTop = el.scrollHeight;
    } else if (last !== previous.last) {
      if (isNearBottom.current) el.scrollTop = el.scrollHeight;
      else setHasNewBelow(true);
    } else if (first !== previous.first) {
      el.scrollTop = el.scrollHeight - distanceFromBottom.current;
    }
    edges.current = { first, last };
    distanceFromBottom.current = el.scrollHeight - el.scrollTop;
    updateTopDay();
  }, [ordered, isNearBottom, focusMessageId, context, updateTopDay]);

  // The composer growing, a notice appearing or the last bubble growing (a photo loading, an edit)
  // must not hide the newest message: the log and its content are both watched.
  const content = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = scroller.current;
    if (!el || !content.current) return;
    const observer = new ResizeObserver(() => {
      if (isNearBottom.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    observer.observe(content.current);
    return () => observer.disconnect();
  }, [isNearBottom]);

  const top = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    const target = top.current;
    const root = scroller.current;
    if (!target || !root || !hasNextPage || isFetchingNextPage) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) void fetchNextPage();
      },
      { root, rootMargin: "200px 0px 0px 0px" },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <div className="relative flex min-h-0 flex-1 flex-col">
      {/* Hidden from screen readers: each day's separator in the log says the same. */}
      <div aria-hidden="true" className="flex h-9 shrink-0 items-center justify-center border-b border-black/5">
        {topDay ? (
          <span data-top-day="" className="rounded-lg bg-white px-3 py-1 text-xs font-medium text-zinc-600 shadow-xs">
            {topDay}
          </span>
        ) : null}
      </div>
      <div
        ref={scroller}
        onScroll={onScroll}
        role="log"
        aria-label="Messages"
        className="min-h-0 flex-1 overflow-y-auto px-3 py-3 [overflow-anchor:none] sm:px-6"
        data-conversation-id={conversationId}
      >
        <div ref={content}>
          <div ref={top} className="flex min-h-8 justify-center pb-2">
            {hasNextPage ? (
              <Button
                variant="secondary"
                className="px-3 py-1 text-xs"
                disabled={isFetchingNextPage}
                onClick={() => void fetchNextPage()}
              >
                {isFetchingNextPage ? "Loading…" : "Load older messages"}
              </Button>
            ) : query.isSuccess && ordered.length > 0 ? (
              <span className="rounded-full bg-white/70 px-3 py-1 text-[11px] text-zinc-600">Start of the conversation</span>
            ) : null}
          </div>

          {query.isPending ? (
            <div className="space-y-3" aria-hidden="true">
              <div className="h-10 w-2/3 animate-pulse rounded-xl bg-white/80 sm:w-1/3" />
              <div className="ml-auto h-14 w-3/4 animate-pulse rounded-xl bg-bubble-out/70 sm:w-2/5" />
              <div className="h-8 w-1/2 animate-pulse rounded-xl bg-white/80 sm:w-1/4" />
            </div>
          ) : query.isError ? (
            <div role="alert" className="mx-auto max-w-sm rounded-lg bg-white p-4 text-center text-sm text-red-700">
              Messages could not be loaded: {query.error.message}
            </div>
          ) : ordered.length === 0 ? (
            <p className="py-10 text-center text-sm text-zinc-600">No messages in this conversation yet.</p>
          ) : (
            groupByDay(ordered).map((group) => (
              <div key={group.key} className="pb-2">
                <div className="flex justify-center py-2" data-day-label={formatDayLabel(group.firstAt, now)}>
                  <span className="rounded-lg bg-white px-3 py-1 text-xs font-medium text-zinc-600 shadow-xs">
                    {formatDayLabel(group.firstAt, now)}
                  </span>
                </div>
                <div className="space-y-1.5">
                  {group.messages.map((message, index) => {
                    const previous = group.messages[index - 1];
                    return (
                      <div key={message.id} className={previous && previous.direction !== message.direction ? "pt-2" : ""}>
                        {message.id === firstUnread.current ? (
                          <div data-unread-divider="" className="my-2 flex items-center gap-3">
                            <span className="h-px flex-1 bg-emerald-700/30" />
                            <span className="rounded-full bg-white px-3 py-0.5 text-xs font-medium text-emerald-800 shadow-xs">
                              {unreadLabel}
                            </span>
                            <span className="h-px flex-1 bg-emerald-700/30" />
                          </div>
                        ) : null}
                        <MessageItem message={message} context={context} />
                      </div>
                    );
                  })}
                </div>
              </div>
            ))
          )}
        </div>
      </div>
      {jumpNotice ? (
        <p
          role="status"
          className="absolute top-12 left-1/2 w-max max-w-[90%] -translate-x-1/2 rounded-lg bg-zinc-800 px-3 py-1.5 text-center text-xs text-white shadow-md"
        >
          {jumpNotice}
        </p>
      ) : null}
      {hasNewBelow ? (
        <button
          type="button"
          onClick={scrollToBottom}
          className="absolute bottom-3 left-1/2 inline-flex -translate-x-1/2 items-center gap-1.5 rounded-full bg-emerald-700 px-3.5 py-1.5 text-xs font-medium text-white shadow-md hover:bg-emerald-800"
        >
          <ArrowDownIcon className="size-3.5" />
          New messages
        </button>
      ) : null}
    </div>
  );
}
