"use client";

import type { InfiniteData, UseInfiniteQueryResult } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type RefObject, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ArrowDownIcon } from "@/components/ui/icons";
import { dayKey, formatDayLabel } from "@/lib/client/format";
import type { MessageDto, MessagePage } from "@/lib/client/types";
import type { ReplyTarget } from "./composer";
import { describeType } from "./message-body";
import { MessageItem, type ThreadContext } from "./message-item";

/** Room above the first message: the "Load older messages" button (or the start), then its day. */
const LOADER_ROOM = 52;
const DAY_SEPARATOR = 44;
const TOP_ROOM = LOADER_ROOM + DAY_SEPARATOR;
const NEAR_BOTTOM = 80;

/** What is drawn below a message, before the next one: a new day's separator, or a gap, wider where the speaker changes. */
type Gap = "day" | "turn" | "gap";
type Row = { message: MessageDto; below: Gap; firstOfDay: number };

/**
 * Each message with what separates it from the next. The space between two messages belongs to the
 * upper one, so older pages added above never resize a row already drawn (which would move the
 * message being read).
 */
function toRows(messages: MessageDto[]) {
  const rows: Row[] = [];
  let firstOfDay = 0;
  for (const [index, message] of messages.entries()) {
    const next = messages[index + 1];
    const below: Gap = !next
      ? "gap"
      : dayKey(next.sentAt) !== dayKey(message.sentAt)
        ? "day"
        : next.direction !== message.direction
          ? "turn"
          : "gap";
    rows.push({ message, below, firstOfDay });
    if (below === "day") firstOfDay = index + 1;
  }
  return rows;
}

function DaySeparator({ label }: { label: string }) {
  return (
    <div className="flex h-11 items-center justify-center">
      <span className="rounded-lg bg-white px-3 py-1 text-xs font-medium text-zinc-600 shadow-xs">{label}</span>
    </div>
  );
}

/**
 * The scrolling thread, windowed: only the bubbles near the screen are in the DOM, so a thread of
 * thousands of messages scrolls and loads older pages as fast as a short one. Older pages load on
 * scroll and keep the message on screen in place; it opens at the first unread message or a search
 * hit, and quotes jump to the message they quote.
 */
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
  mentions,
  onReply,
}: {
  conversationId: string;
  focusMessageId: string | null;
  /** Null until the conversation has loaded: the log opens only once it is known. */
  unreadAtOpen: number | null;
  query: UseInfiniteQueryResult<InfiniteData<MessagePage>, Error>;
  now: Date;
  isNearBottom: RefObject<boolean>;
  customerName: string;
  userName: string;
  onboardedAt: string | null;
  /** Matches the `@Name` of the number's members in notes. */
  mentions: RegExp | null;
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
  const rows = useMemo(() => toRows(ordered), [ordered]);
  const indexById = useMemo(() => new Map(ordered.map((m, i) => [m.id, i])), [ordered]);

  // The first unread customer message, fixed once found so new arrivals do not move the divider.
  const firstUnread = useRef<string | null | undefined>(undefined);
  if (firstUnread.current === undefined && ordered.length > 0 && unreadAtOpen !== null) {
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
  const getItemKey = useCallback((index: number) => rows[index]?.message.id ?? index, [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 52,
    getItemKey,
    // Older pages are added above: the message on screen keeps its place, as in any chat.
    anchorTo: "end",
    scrollEndThreshold: NEAR_BOTTOM,
    overscan: 8,
    paddingStart: TOP_ROOM,
    paddingEnd: 12,
  });
  // Where the latest older page ends: the rows above the message that was first before it came.
  const olderPage = useRef<{ first?: string; end: number }>({ end: 0 });
  const firstId = ordered[0]?.id;
  if (firstId !== olderPage.current.first) {
    const previous = olderPage.current.first;
    olderPage.current = { first: firstId, end: previous ? (indexById.get(previous) ?? 0) : 0 };
  }
  // The library keeps a row's place when rows above the top edge take their real size. An agent at the
  // very top when an older page came sees its last rows below the top edge, yet above the message they
  // were reading: those rows take their size upwards too. Otherwise this is the library's own rule.
  virtualizer.shouldAdjustScrollPositionOnItemSizeChange = (item, _delta, instance) => {
    const offset = instance.scrollOffset ?? 0;
    if (instance.itemSizeCache.has(item.key)) return item.end <= offset && instance.scrollDirection !== "backward";
    const isOnScreen = item.start < offset + (instance.scrollRect?.height ?? 0);
    return item.start < offset || (item.index < olderPage.current.end && isOnScreen);
  };

  const [jumpNotice, setJumpNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!jumpNotice) return;
    const timer = setTimeout(() => setJumpNotice(null), 5000);
    return () => clearTimeout(timer);
  }, [jumpNotice]);

  // A message to show (a quote, a search hit) older than the pages loaded: older pages load until it is.
  const [seeking, setSeeking] = useState<string | null>(null);

  // Scrolls a message into the middle of the log, then focuses and flashes it once it is drawn; one
  // not loaded yet is sought first.
  const jumpTo = useCallback(
    (id: string) => {
      const index = indexById.get(id);
      if (index === undefined) {
        setSeeking(id);
        return;
      }
      const isReduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      virtualizer.scrollToIndex(index, { align: "center", behavior: isReduced ? "auto" : "smooth" });
      let frames = 120;
      const reveal = () => {
        const target = scroller.current?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(id)}"]`);
        if (!target) {
          if (--frames > 0) requestAnimationFrame(reveal);
          return;
        }
        target.focus({ preventScroll: true });
        target.animate([{ backgroundColor: "rgb(253 224 71 / 0.45)" }, { backgroundColor: "rgb(253 224 71 / 0)" }], {
          duration: 2000,
          easing: "ease-in",
        });
      };
      requestAnimationFrame(reveal);
    },
    [indexById, virtualizer],
  );

  const context = useMemo<ThreadContext>(() => {
    return {
      customerName,
      userName,
      onboardedAt,
      findMessage: (id) => {
        const index = indexById.get(id);
        return index === undefined ? undefined : ordered[index];
      },
      onReply: (m) => {
        if (!m.wamid) return;
        const author =
          m.direction === "inbound" ? customerName : m.authorName && m.authorName !== userName ? m.authorName : "You";
        onReply({ wamid: m.wamid, author, excerpt: (m.editedBody ?? m.body) || describeType(m.type) });
      },
      onJumpTo: jumpTo,
      mentions,
    };
  }, [ordered, indexById, customerName, userName, onboardedAt, onReply, jumpTo, mentions]);

  const edges = useRef<{ first?: string; last?: string }>({});
  const [hasNewBelow, setHasNewBelow] = useState(false);

  const measureNearBottom = useCallback(() => {
    const el = scroller.current;
    if (el) isNearBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM;
    return isNearBottom.current;
  }, [isNearBottom]);
  const scrollToBottom = () => {
    virtualizer.scrollToEnd();
    isNearBottom.current = true;
    setHasNewBelow(false);
  };
  const onScroll = () => {
    if (measureNearBottom()) setHasNewBelow(false);
  };

  // Open at the search hit, the first unread message or the newest; then follow new messages when
  // already at the bottom. Older pages added above keep their place by the end anchoring.
  useLayoutEffect(() => {
    const first = ordered[0]?.id;
    const last = ordered.at(-1)?.id;
    // The messages may arrive before the conversation says how many are unread: open once both have.
    if (!first || !last || unreadAtOpen === null) return;
    const previous = edges.current;
    edges.current = { first, last };
    if (!previous.last) {
      const unreadIndex = firstUnread.current ? indexById.get(firstUnread.current) : undefined;
      if (focusMessageId !== null) {
        isNearBottom.current = false;
        // Meanwhile the log rests at the newest message; older pages go in above it.
        if (!indexById.has(focusMessageId)) virtualizer.scrollToEnd();
        jumpTo(focusMessageId);
      } else if (unreadIndex !== undefined) {
        isNearBottom.current = false;
        virtualizer.scrollToIndex(unreadIndex, { align: "start" });
      } else virtualizer.scrollToEnd();
      // Where the log came to rest decides whether new messages are followed.
      requestAnimationFrame(() => requestAnimationFrame(measureNearBottom));
    } else if (last !== previous.last) {
      if (isNearBottom.current) virtualizer.scrollToEnd();
      else setHasNewBelow(true);
    }
  }, [ordered, indexById, isNearBottom, focusMessageId, jumpTo, virtualizer, measureNearBottom, unreadAtOpen]);

  // The composer growing or a notice appearing shrinks the log: the newest message stays in view.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      if (isNearBottom.current) virtualizer.scrollToEnd();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [isNearBottom, virtualizer]);

  const top = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = query;
  useEffect(() => {
    if (!seeking) return;
    if (indexById.has(seeking)) {
      setSeeking(null);
      jumpTo(seeking);
    } else if (isFetchNextPageError || !hasNextPage) {
      setSeeking(null);
      setJumpNotice(
        isFetchNextPageError
          ? "Older messages could not be loaded to find that message. Try again."
          : "That message is no longer in this conversation.",
      );
    } else if (!isFetchingNextPage) void fetchNextPage();
  }, [seeking, indexById, hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage, jumpTo]);
  useEffect(() => {
    const target = top.current;
    const root = scroller.current;
    if (!target || !root || !hasNextPage || isFetchingNextPage) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) void fetchNextPage();
      },
      { root, rootMargin: "600px 0px 0px 0px" },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const items = virtualizer.getVirtualItems();
  // The band above the log names the day of the topmost message once that day's separator (drawn
  // just above its first message) has scrolled out of sight: a day is never named twice on screen,
  // and no sticky label covers a bubble.
  const offset = virtualizer.scrollOffset ?? 0;
  const topRow = rows[virtualizer.getVirtualItemForOffset(offset)?.index ?? -1];
  const topDayStart = topRow ? virtualizer.measurementsCache[topRow.firstOfDay]?.start : undefined;
  const topDay = topRow && topDayStart !== undefined && topDayStart <= offset ? formatDayLabel(topRow.message.sentAt, now) : null;

  // A thread that fits on screen shows every day's separator: it has no band.
  const overflows = virtualizer.getTotalSize() > (virtualizer.scrollRect?.height ?? Number.POSITIVE_INFINITY);

  return (
    <div className="relative flex min-h-0 flex-1 flex-col">
      {/* Hidden from screen readers: each day's separator in the log says the same. */}
      {overflows ? (
        <div
          data-day-band=""
          aria-hidden="true"
          className="flex h-9 shrink-0 items-center justify-center border-b border-black/5"
        >
          {topDay ? (
            <span data-top-day="" className="rounded-lg bg-white px-3 py-1 text-xs font-medium text-zinc-600 shadow-xs">
              {topDay}
            </span>
          ) : null}
        </div>
      ) : null}
      <div
        ref={scroller}
        onScroll={onScroll}
        role="log"
        aria-label="Messages"
        className="min-h-0 flex-1 overflow-y-auto px-3 [overflow-anchor:none] sm:px-6"
        data-conversation-id={conversationId}
      >
        {query.isPending ? (
          <div className="space-y-3 py-3" aria-hidden="true">
            <div className="h-10 w-2/3 animate-pulse rounded-xl bg-white/80 sm:w-1/3" />
            <div className="ml-auto h-14 w-3/4 animate-pulse rounded-xl bg-bubble-out/70 sm:w-2/5" />
            <div className="h-8 w-1/2 animate-pulse rounded-xl bg-white/80 sm:w-1/4" />
          </div>
        ) : query.isError ? (
          <div role="alert" className="mx-auto my-3 max-w-sm rounded-lg bg-white p-4 text-center text-sm text-red-700">
            Messages could not be loaded: {query.error.message}
          </div>
        ) : ordered.length === 0 ? (
          <p className="py-10 text-center text-sm text-zinc-600">No messages in this conversation yet.</p>
        ) : (
          <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
            <div ref={top} className="absolute inset-x-0 top-3 flex h-8 items-center justify-center">
              {hasNextPage ? (
                <Button
                  variant="secondary"
                  className="px-3 py-1 text-xs"
                  disabled={isFetchingNextPage}
                  onClick={() => void fetchNextPage()}
                >
                  {isFetchingNextPage ? "Loading…" : "Load older messages"}
                </Button>
              ) : (
                <span className="rounded-full bg-white/70 px-3 py-1 text-[11px] text-zinc-600">Start of the conversation</span>
              )}
            </div>
            <div className="absolute inset-x-0" style={{ top: LOADER_ROOM }}>
              <DaySeparator label={formatDayLabel(ordered[0]!.sentAt, now)} />
            </div>
            <div className="absolute inset-x-0 top-0" style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}>
              {items.map((item) => {
                const { message, below } = rows[item.index]!;
                const next = rows[item.index + 1]?.message;
                return (
                  <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="flow-root">
                    {message.id === firstUnread.current ? (
                      <div data-unread-divider="" className="flex items-center gap-3 py-2">
                        <span className="h-px flex-1 bg-emerald-700/30" />
                        <span className="rounded-full bg-white px-3 py-0.5 text-xs font-medium text-emerald-800 shadow-xs">
                          {unreadLabel}
                        </span>
                        <span className="h-px flex-1 bg-emerald-700/30" />
                      </div>
                    ) : null}
                    <MessageItem message={message} context={context} />
                    {below === "day" && next ? (
                      <div className="pt-2">
                        <DaySeparator label={formatDayLabel(next.sentAt, now)} />
                      </div>
                    ) : (
                      <div className={below === "turn" ? "h-3.5" : "h-1.5"} />
                    )}
                  </div>
                );
              })}
            </div>
          </div>
        )}
      </div>
      {seeking || jumpNotice ? (
        <p
          role="status"
          className="absolute top-12 left-1/2 w-max max-w-[90%] -translate-x-1/2 rounded-lg bg-zinc-800 px-3 py-1.5 text-center text-xs text-white shadow-md"
        >
          {seeking ? "Loading older messages to find it…" : jumpNotice}
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
