"use client";

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { type KeyboardEvent, type MouseEvent, memo, useCallback, useEffect, useRef, useState } from "react";
import { LabelChips } from "@/components/labels/label-chip";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { AlertIcon, MenuIcon, ReplyIcon, SearchIcon } from "@/components/ui/icons";
import {
  contactName,
  describeWindow,
  explainSendError,
  formatDateTime,
  formatFullDate,
  formatListTime,
  formatPhone,
} from "@/lib/client/format";
import { conversationListQuery, labelsQuery } from "@/lib/client/queries";
import { HIGHLIGHT_END, HIGHLIGHT_START } from "@/lib/client/search";
import { serverNow } from "@/lib/client/server-clock";
import type { ConversationDto, LabelDto, NumberDto } from "@/lib/client/types";
import { useClockTick } from "@/lib/client/use-now";
import { useShortcut } from "@/lib/client/use-shortcut";
import { stripWhatsAppFormatting } from "@/lib/client/whatsapp-format";
import { NewConversation } from "./new-conversation";
import type { InboxParams, InboxPatch } from "./use-inbox-params";

const noLabels: LabelDto[] = [];

const viewTitles = { all: "All conversations", mine: "Mine", unassigned: "Unassigned" } as const;
export const statusTitles = { open: "Open", pending: "Pending", snoozed: "Snoozed", resolved: "Resolved" } as const;

const chipTone = {
  open: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  closing: "bg-amber-50 text-amber-800 ring-amber-200",
  closed: "bg-zinc-100 text-zinc-600 ring-zinc-200",
} as const;

export function WindowChip({ conversation, now }: { conversation: ConversationDto; now: Date }) {
  const window = describeWindow(conversation, now);
  return (
    <span
      title={window.summary}
      className={`inline-flex items-center rounded-full px-1.5 py-px text-[11px] font-medium whitespace-nowrap ring-1 ring-inset ${chipTone[window.tone]}`}
    >
      {window.chip}
    </span>
  );
}

/**
 * One row, drawn again only when its own props change: under a stream of live notices the list
 * changes up to 60 times a second, mostly by one row, and drawing all 50 each time kept a core busy.
 * `tick` moves on with the clock, so relative times stay true in rows that did not change.
 */
const ConversationRow = memo(function ConversationRow({
  conversation,
  href,
  isSelected,
  isTabStop,
  tick: _tick,
  numberName,
  labels,
  onOpen,
}: {
  labels: LabelDto[];
  conversation: ConversationDto;
  href: string;
  isSelected: boolean;
  isTabStop: boolean;
  tick: number;
  numberName: string | null;
  onOpen: (conversation: ConversationDto) => void;
}) {
  const now = serverNow();
  const name = contactName(conversation);
  const hasUnread = conversation.unreadCount > 0;
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    onOpen(conversation);
  };
  return (
    <li>
      <a
        href={href}
        onClick={onClick}
        data-conversation-link=""
        // One tab stop for the whole list; arrow keys move within it.
        tabIndex={isTabStop ? 0 : -1}
        aria-current={isSelected ? "page" : undefined}
        className={`flex gap-3 border-b border-zinc-100 px-3 py-3 transition-colors focus-visible:-outline-offset-2 ${
          isSelected ? "bg-emerald-50/70" : "hover:bg-zinc-50"
        }`}
      >
        <Avatar name={name} />
        <span className="min-w-0 flex-1">
          <span className="flex items-baseline gap-2">
            <span
              className={`min-w-0 flex-1 truncate text-sm ${hasUnread ? "font-semibold text-zinc-950" : "font-medium text-zinc-800"}`}
            >
              {name}
            </span>
            {conversation.lastMessageAt ? (
              <time
                dateTime={conversation.lastMessageAt}
                title={formatFullDate(conversation.lastMessageAt)}
                className={`shrink-0 text-xs tabular-nums ${hasUnread ? "font-medium text-emerald-700" : "text-zinc-500"}`}
              >
                {formatListTime(conversation.lastMessageAt, now)}
              </time>
            ) : null}
          </span>
          <span className="mt-0.5 flex items-center gap-2">
            <span className={`flex min-w-0 flex-1 items-center gap-1 text-sm ${hasUnread ? "text-zinc-800" : "text-zinc-500"}`}>
              {conversation.lastMessageDirection === "outbound" ? (
                <>
                  <ReplyIcon className="size-3.5 shrink-0 text-zinc-400" />
                  <span className="sr-only">Sent:</span>
                </>
              ) : null}
              {conversation.match ? (
                <MatchSnippet snippet={conversation.match.snippet} />
              ) : conversation.lastFailure ? (
                <span
                  className="flex min-w-0 items-center gap-1 text-red-700"
                  title={conversation.lastMessagePreview ?? undefined}
                >
                  <AlertIcon className="size-3.5 shrink-0" />
                  <span className="truncate">Failed: {explainSendError(conversation.lastFailure).sentence}</span>
                </span>
              ) : (
                <span className="truncate">
                  {conversation.lastMessagePreview ? stripWhatsAppFormatting(conversation.lastMessagePreview) : "No messages yet"}
                </span>
              )}
            </span>
            {hasUnread ? (
              <span className="inline-flex h-5 min-w-5 shrink-0 items-center justify-center rounded-full bg-emerald-700 px-1.5 text-[11px] font-semibold text-white tabular-nums">
                {conversation.unreadCount > 99 ? "99+" : conversation.unreadCount}
                <span className="sr-only"> unread</span>
              </span>
            ) : null}
          </span>
          <span className="mt-1.5 flex items-center gap-1.5 text-xs text-zinc-500">
            <WindowChip conversation={conversation} now={now} />
            {conversation.status === "snoozed" && conversation.snoozedUntil ? (
              <span className="rounded-full bg-sky-50 px-1.5 py-px text-[11px] font-medium whitespace-nowrap text-sky-900 ring-1 ring-sky-200 ring-inset">
                Snoozed until {formatDateTime(conversation.snoozedUntil)}
              </span>
            ) : conversation.status !== "open" ? (
              <span className="rounded-full bg-zinc-100 px-1.5 py-px text-[11px] font-medium text-zinc-600 capitalize">
                {conversation.status}
              </span>
            ) : null}
            <span className="min-w-0 truncate">
              {numberName ? `${numberName} · ` : ""}
              {conversation.assigneeName ?? "Unassigned"}
            </span>
          </span>
          <LabelChips labelIds={conversation.labelIds} labels={labels} className="mt-1.5" />
        </span>
      </a>
    </li>
  );
});

/** A search hit: the matching message's text with the matched words marked. */
function MatchSnippet({ snippet }: { snippet: string }) {
  const parts = snippet.split(HIGHLIGHT_START);
  return (
    <span className="truncate">
      <span className="sr-only">Matching message: </span>
      {parts.map((part, i) => {
        const [marked, rest] = i === 0 ? [null, part] : part.split(HIGHLIGHT_END);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet never reorder
          <span key={i}>
            {marked ? <mark className="rounded-sm bg-amber-100 px-0.5 text-zinc-900">{marked}</mark> : null}
            {rest}
          </span>
        );
      })}
    </span>
  );
}

/** Arrow keys move between conversations; Home and End jump to the ends. */
function onListKeyDown(event: KeyboardEvent<HTMLUListElement>) {
  if (!["ArrowDown", "ArrowUp", "Home", "End"].includes(event.key)) return;
  const links = Array.from(event.currentTarget.querySelectorAll<HTMLAnchorElement>("a[data-conversation-link]"));
  if (links.length === 0) return;
  const index = links.indexOf(document.activeElement as HTMLAnchorElement);
  const next =
    event.key === "Home"
      ? 0
      : event.key === "End"
        ? links.length - 1
        : event.key === "ArrowDown"
          ? Math.min(links.length - 1, index + 1)
          : Math.max(0, index - 1);
  event.preventDefault();
  links[next]?.focus();
}

function SearchBox({ value, onChange }: { value: string; onChange: (q: string) => void }) {
  const [text, setText] = useState(value);
  const lastSent = useRef(value);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const inputRef = useRef<HTMLInputElement>(null);
  useShortcut(["/"], (event) => {
    event.preventDefault();
    inputRef.current?.focus();
  });
  // Follow the URL when it changes from elsewhere (back button, a link).
  useEffect(() => {
    if (value !== lastSent.current) {
      lastSent.current = value;
      setText(value);
    }
  }, [value]);
  useEffect(() => {
    if (text === lastSent.current) return;
    const timer = setTimeout(() => {
      lastSent.current = text;
      onChangeRef.current(text);
    }, 250);
    return () => clearTimeout(timer);
  }, [text]);

  return (
    <div className="relative">
      <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-zinc-400" />
      <input
        ref={inputRef}
        type="search"
        aria-label="Search conversations"
        aria-keyshortcuts="/"
        placeholder="Search names, numbers, messages"
        value={text}
        onChange={(event) => setText(event.target.value)}
        className="block w-full rounded-lg border border-zinc-200 bg-zinc-50 py-2 pr-3 pl-8.5 text-sm placeholder:text-zinc-400 focus:border-emerald-600 focus:bg-white focus:ring-2 focus:ring-emerald-100 focus:outline-none focus-visible:outline-none"
      />
    </div>
  );
}

function ListSkeleton() {
  return (
    <div aria-hidden="true">
      {[0, 1, 2, 3, 4, 5].map((i) => (
        <div key={i} className="flex gap-3 border-b border-zinc-100 px-3 py-3">
          <div className="size-10 animate-pulse rounded-full bg-zinc-200" />
          <div className="flex-1 space-y-2 py-0.5">
            <div className="h-3.5 w-2/5 animate-pulse rounded bg-zinc-200" />
            <div className="h-3 w-4/5 animate-pulse rounded bg-zinc-100" />
            <div className="h-3 w-1/4 animate-pulse rounded bg-zinc-100" />
          </div>
        </div>
      ))}
    </div>
  );
}

export function ConversationList({
  className,
  params,
  numbers,
  hrefFor,
  navigate,
  pollMs,
  onOpenNav,
}: {
  className: string;
  params: InboxParams;
  numbers: NumberDto[];
  hrefFor: (patch: InboxPatch) => string;
  navigate: (patch: InboxPatch, options?: { replace?: boolean }) => void;
  pollMs: number | false;
  onOpenNav: () => void;
}) {
  const tick = useClockTick(30_000);
  const filters = {
    numberId: params.numberId,
    view: params.view,
    status: params.status,
    labelId: params.labelId,
    window: params.window,
    search: params.q,
  };
  const labels = useQuery(labelsQuery()).data ?? noLabels;
  const filterLabel = labels.find((l) => l.id === params.labelId);
  const query = useInfiniteQuery({
    ...conversationListQuery(filters),
    placeholderData: keepPreviousData,
    refetchInterval: pollMs,
  });
  const conversations = query.data?.pages.flatMap((page) => page.conversations) ?? [];
  const hasSelectedRow = conversations.some((c) => c.id === params.conversationId);
  const numberNames = new Map(numbers.map((n) => [n.id, n.verifiedName || formatPhone(n.displayPhoneNumber)]));
  const showNumber = numbers.length > 1 && params.numberId === null;
  const filterNumber = params.numberId ? numberNames.get(params.numberId) : null;

  // One function for every row and every render, so a row's memo holds; it calls the latest `navigate`.
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;
  const open = useCallback((c: ConversationDto) => navigateRef.current({ c: c.id, m: c.match?.messageId ?? null }), []);

  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !hasNextPage) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  // j and k open the next and previous conversation from anywhere but a text field. The open one is
  // read from the address bar: `params` follows a pushState a render later, and a quick second key
  // press would otherwise start again from the stale one.
  useShortcut(["j", "k"], (event) => {
    if (conversations.length === 0) return;
    event.preventDefault();
    const open = new URLSearchParams(window.location.search).get("c");
    const index = conversations.findIndex((c) => c.id === open);
    const next = event.key === "j" ? Math.min(conversations.length - 1, index + 1) : Math.max(0, index - 1);
    const target = conversations[next];
    if (target && target.id !== open) navigate({ c: target.id, m: null });
  });

  const title = viewTitles[params.view];
  const subtitle = [
    params.status ? statusTitles[params.status] : "All statuses",
    ...(filterLabel ? [`Label ${filterLabel.name}`] : []),
    filterNumber ?? "All numbers",
  ].join(" · ");

  return (
    <section
      id="conversations"
      aria-label="Conversations"
      className={`${className} min-h-0 w-full flex-col border-zinc-200 bg-white lg:border-r`}
    >
      <div className="space-y-2.5 border-b border-zinc-200 px-3 pt-3 pb-3">
        <div className="flex items-center gap-2">
          <button
            type="button"
            onClick={onOpenNav}
            aria-label="Numbers and views"
            className="-ml-1 inline-flex size-9 items-center justify-center rounded-lg text-zinc-700 hover:bg-zinc-100 lg:hidden"
          >
            <MenuIcon className="size-5" />
          </button>
          <div className="min-w-0 flex-1">
            <h1 className="truncate text-base font-semibold text-zinc-900">{title}</h1>
            <p className="truncate text-xs text-zinc-500">{subtitle}</p>
          </div>
          <NewConversation numberId={params.numberId} onOpen={(id) => navigate({ c: id })} />
        </div>
        <SearchBox value={params.q} onChange={(q) => navigate({ q }, { replace: true })} />
      </div>

      <div className={`min-h-0 flex-1 overflow-y-auto transition-opacity ${query.isPlaceholderData ? "opacity-60" : ""}`}>
        {query.isPending ? (
          <ListSkeleton />
        ) : query.isError ? (
          <div className="p-4 text-sm text-red-700" role="alert">
            <p>Conversations could not be loaded: {query.error.message}</p>
            <Button variant="secondary" className="mt-3" onClick={() => void query.refetch()}>
              Try again
            </Button>
          </div>
        ) : conversations.length === 0 ? (
          <div className="px-6 py-12 text-center text-sm text-zinc-500">
            {params.q ? (
              <p>No conversations match “{params.q}”.</p>
            ) : (
              <>
                <p className="font-medium text-zinc-700">Nothing here</p>
                <p className="mt-1">
                  {params.status
                    ? `No ${statusTitles[params.status].toLowerCase()} conversations in this view.`
                    : "No conversations in this view."}
                </p>
              </>
            )}
          </div>
        ) : (
          <>
            <ul aria-label="Conversation list" onKeyDown={onListKeyDown}>
              {conversations.map((c, index) => (
                <ConversationRow
                  key={c.id}
                  conversation={c}
                  href={hrefFor({ c: c.id, m: c.match?.messageId ?? null })}
                  isSelected={params.conversationId === c.id}
                  isTabStop={hasSelectedRow ? params.conversationId === c.id : index === 0}
                  tick={tick}
                  numberName={showNumber ? (numberNames.get(c.numberId) ?? null) : null}
                  labels={labels}
                  onOpen={open}
                />
              ))}
            </ul>
            {hasNextPage ? (
              <div ref={sentinel} className="flex justify-center p-3">
                <Button variant="secondary" disabled={isFetchingNextPage} onClick={() => void fetchNextPage()}>
                  {isFetchingNextPage ? "Loading…" : "Load more conversations"}
                </Button>
              </div>
            ) : null}
          </>
        )}
      </div>
    </section>
  );
}
