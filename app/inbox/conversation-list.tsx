"use client";

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { type KeyboardEvent, useCallback, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { MenuIcon, SearchIcon } from "@/components/ui/icons";
import { formatPhone } from "@/lib/client/format";
import { conversationListQuery, labelsQuery } from "@/lib/client/queries";
import type { ConversationDto, LabelDto, NumberDto } from "@/lib/client/types";
import { useClockTick } from "@/lib/client/use-now";
import { useShortcut } from "@/lib/client/use-shortcut";
import { ConversationRow } from "./conversation-row";
import { NewConversation } from "./new-conversation";
import type { InboxParams, InboxPatch } from "./use-inbox-params";

const noLabels: LabelDto[] = [];

const viewTitles = { all: "All conversations", mine: "Mine", unassigned: "Unassigned" } as const;
const statusTitles = { open: "Open", pending: "Pending", snoozed: "Snoozed", resolved: "Resolved" } as const;

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
