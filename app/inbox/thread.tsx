"use client";

import {
  type InfiniteData,
  type QueryClient,
  type UseInfiniteQueryResult,
  useInfiniteQuery,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { type RefObject, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { AlertIcon, ArrowDownIcon, ArrowLeftIcon, InboxIcon, LockIcon, PanelRightIcon } from "@/components/ui/icons";
import { isApiError } from "@/lib/client/api";
import {
  dayKey,
  describeNumberNotice,
  describeWindow,
  formatDayLabel,
  formatPhone,
  type NumberNotice,
  nameSourceLabel,
} from "@/lib/client/format";
import { conversationQuery, markConversationRead, messagesQuery, queryKeys } from "@/lib/client/queries";
import type { ConversationDto, ConversationPage, MessageDto, MessagePage, NumberDto } from "@/lib/client/types";
import { useNow } from "@/lib/client/use-now";
import type { ReplyTarget } from "./composer";
import { ContactPanel } from "./contact-panel";
import { ConversationControls } from "./conversation-controls";
import { contactName } from "./conversation-list";
import { describeType } from "./message-body";
import { MessageItem, type ThreadContext } from "./message-item";
import { ReplyArea } from "./reply-area";

/** The list already holds the conversation: show its header at once while the detail loads. */
function findInLists(queryClient: QueryClient, id: string) {
  for (const [, data] of queryClient.getQueriesData<InfiniteData<ConversationPage>>({ queryKey: queryKeys.conversationLists })) {
    for (const page of data?.pages ?? []) {
      const found = page.conversations.find((c) => c.id === id);
      if (found) return found;
    }
  }
  return undefined;
}

const subscribeVisibility = (onChange: () => void) => {
  document.addEventListener("visibilitychange", onChange);
  return () => document.removeEventListener("visibilitychange", onChange);
};
const useIsPageVisible = () =>
  useSyncExternalStore(
    subscribeVisibility,
    () => document.visibilityState === "visible",
    () => true,
  );

/** Opening a conversation, or a message arriving while it is open and on screen, marks it read. */
function useMarkRead(conversationId: string, unreadCount: number) {
  const queryClient = useQueryClient();
  const isVisible = useIsPageVisible();
  const inFlight = useRef(false);
  useEffect(() => {
    if (unreadCount === 0 || !isVisible || inFlight.current) return;
    inFlight.current = true;
    markConversationRead(conversationId)
      .then(() => {
        queryClient.setQueryData<ConversationDto>(queryKeys.conversation(conversationId), (c) => c && { ...c, unreadCount: 0 });
        queryClient.setQueriesData<InfiniteData<ConversationPage>>({ queryKey: queryKeys.conversationLists }, (data) =>
          data
            ? {
                ...data,
                pages: data.pages.map((page) => ({
                  ...page,
                  conversations: page.conversations.map((c) => (c.id === conversationId ? { ...c, unreadCount: 0 } : c)),
                })),
              }
            : data,
        );
      })
      .catch(() => {})
      .finally(() => {
        inFlight.current = false;
        // Anything that arrived meanwhile shows up again, and is marked in turn.
        void queryClient.invalidateQueries({ queryKey: queryKeys.conversation(conversationId) });
      });
  }, [conversationId, unreadCount, isVisible, queryClient]);
}

const windowTone = {
  open: "bg-emerald-50 text-emerald-900 border-emerald-100",
  closing: "bg-amber-50 text-amber-900 border-amber-100",
  closed: "bg-zinc-100 text-zinc-700 border-zinc-200",
} as const;
const windowDot = { open: "bg-emerald-500", closing: "bg-amber-500", closed: "bg-zinc-400" } as const;

export type ContactPanelState = { mode: "aside" | "sheet"; isOpen: boolean; setOpen: (open: boolean) => void };

function EmptyThread({ className }: { className: string }) {
  return (
    <section aria-label="Conversation" className={`${className} min-h-0 flex-1 items-center justify-center bg-thread`}>
      <div className="max-w-xs px-6 text-center">
        <InboxIcon className="mx-auto size-10 text-zinc-300" />
        <p className="mt-3 text-sm font-medium text-zinc-700">Select a conversation</p>
        <p className="mt-1 text-sm text-zinc-500">Its messages, window and composer appear here.</p>
      </div>
    </section>
  );
}

type ThreadProps = {
  className: string;
  /** undefined while loading: the composer waits, so a read-only number never flashes a text box. */
  numbers: NumberDto[] | undefined;
  pollMs: number | false;
  user: { id: string; name: string };
  contactPanel: ContactPanelState;
  onBack: () => void;
};

export function Thread({ conversationId, ...props }: ThreadProps & { conversationId: string | null }) {
  if (!conversationId) return <EmptyThread className={props.className} />;
  return <ConversationThread key={conversationId} conversationId={conversationId} {...props} />;
}

/** Why the number cannot send (or sends with a warning), at the top of its conversations. */
function NumberBanner({ notice }: { notice: NumberNotice }) {
  const isBlocked = notice.tone === "blocked";
  return (
    <div
      role="note"
      aria-label="Number status"
      className={`flex shrink-0 items-start gap-2.5 border-b px-3 py-2 text-sm sm:px-4 ${
        isBlocked ? "border-red-200 bg-red-50 text-red-900" : "border-amber-200 bg-amber-50 text-amber-900"
      }`}
    >
      {isBlocked ? <LockIcon className="mt-0.5 size-4 shrink-0" /> : <AlertIcon className="mt-0.5 size-4 shrink-0" />}
      <p>{notice.text}</p>
    </div>
  );
}

function ConversationThread({
  className,
  conversationId,
  numbers,
  pollMs,
  user,
  contactPanel,
  onBack,
}: ThreadProps & { conversationId: string }) {
  const queryClient = useQueryClient();
  const now = useNow(15_000);
  const conversation = useQuery({
    ...conversationQuery(conversationId),
    placeholderData: () => findInLists(queryClient, conversationId),
    refetchInterval: pollMs,
  });
  const messages = useInfiniteQuery({ ...messagesQuery(conversationId), refetchInterval: pollMs });
  useMarkRead(conversationId, conversation.isPlaceholderData ? 0 : (conversation.data?.unreadCount ?? 0));
  const [controlError, setControlError] = useState<string | null>(null);
  // The message being quoted, remembered with its conversation so switching threads drops it.
  const [reply, setReply] = useState<{ conversationId: string; target: ReplyTarget } | null>(null);
  const panelId = useId();

  const c = conversation.data;
  const number = c ? numbers?.find((n) => n.id === c.numberId) : undefined;
  const name = c ? contactName(c) : "";
  const address = c ? formatPhone(c.contact.waId ?? c.contact.userId) : "";
  const windowState = c ? describeWindow(c, now) : null;
  const numberNotice = number ? describeNumberNotice(number) : null;
  // Shared with the composer: after sending, the log follows the new bubble even if scrolled up.
  const isNearBottom = useRef(true);

  const backButton = (
    <button
      type="button"
      onClick={onBack}
      aria-label="Back to conversations"
      className="-ml-1 inline-flex size-9 shrink-0 items-center justify-center rounded-lg text-zinc-700 hover:bg-zinc-100 lg:hidden"
    >
      <ArrowLeftIcon className="size-5" />
    </button>
  );

  if (conversation.isError && !c) {
    return (
      <section aria-label="Conversation" className={`${className} min-h-0 flex-1 flex-col bg-thread`}>
        <div className="flex items-center gap-2 border-b border-zinc-200 bg-white px-3 py-2.5">{backButton}</div>
        <div className="m-auto max-w-sm p-6 text-center text-sm text-zinc-600" role="alert">
          {isApiError(conversation.error, "NOT_FOUND")
            ? "This conversation does not exist, or you do not have access to its number."
            : `The conversation could not be loaded: ${conversation.error.message}`}
        </div>
      </section>
    );
  }

  const isPanelOpen = contactPanel.isOpen && c !== undefined;

  return (
    <section
      aria-label={name ? `Conversation with ${name}` : "Conversation"}
      className={`${className} min-h-0 min-w-0 flex-1 bg-thread`}
    >
      <div className="@container flex min-h-0 min-w-0 flex-1 flex-col">
        <header className="flex shrink-0 flex-wrap items-center gap-x-3 gap-y-2 border-b border-zinc-200 bg-white px-3 py-2.5 sm:px-4">
          {backButton}
          {c ? (
            <>
              <Avatar name={name} size="sm" />
              <div className="min-w-0 flex-1">
                <h2 className="truncate text-[15px] font-semibold text-zinc-900" title={nameSourceLabel[c.contact.nameSource]}>
                  {name}
                </h2>
                <p className="truncate text-xs text-zinc-500">
                  {address && address !== name ? address : null}
                  {address && address !== name && number ? " · " : null}
                  {number ? `via ${number.verifiedName || formatPhone(number.displayPhoneNumber)}` : null}
                </p>
              </div>
              <div className="order-last w-full @xl:order-none @xl:w-auto">
                <ConversationControls conversation={c} onError={setControlError} />
              </div>
              <button
                type="button"
                onClick={() => contactPanel.setOpen(!contactPanel.isOpen)}
                aria-label="Contact details"
                aria-expanded={isPanelOpen}
                aria-controls={isPanelOpen ? panelId : undefined}
                title={isPanelOpen ? "Hide contact details" : "Show contact details"}
                className={`inline-flex size-9 shrink-0 items-center justify-center rounded-lg hover:bg-zinc-100 ${
                  isPanelOpen && contactPanel.mode === "aside" ? "bg-zinc-100 text-emerald-700" : "text-zinc-600"
                }`}
              >
                <PanelRightIcon className="size-5" />
              </button>
            </>
          ) : (
            <div className="flex-1 space-y-1.5" aria-hidden="true">
              <div className="h-4 w-40 animate-pulse rounded bg-zinc-200" />
              <div className="h-3 w-28 animate-pulse rounded bg-zinc-100" />
            </div>
          )}
        </header>
        {controlError ? (
          <p role="alert" className="shrink-0 border-b border-red-200 bg-red-50 px-4 py-1.5 text-sm text-red-800">
            {controlError}
          </p>
        ) : null}

        {numberNotice ? <NumberBanner notice={numberNotice} /> : null}

        <div
          // A read-only number cannot use an open window: keep the fact, drop the colour.
          className={`flex min-h-8 shrink-0 items-center gap-2 border-b px-3 py-1.5 text-xs sm:px-4 ${
            windowState && numberNotice?.canSend !== false
              ? windowTone[windowState.tone]
              : "border-zinc-200 bg-zinc-50 text-zinc-600"
          }`}
        >
          {windowState ? (
            <>
              <span
                className={`size-2 shrink-0 rounded-full ${numberNotice?.canSend === false ? "bg-zinc-300" : windowDot[windowState.tone]}`}
                aria-hidden="true"
              />
              <span className="min-w-0">{windowState.summary}</span>
            </>
          ) : null}
        </div>

        <MessageLog
          conversationId={conversationId}
          query={messages}
          now={now}
          isNearBottom={isNearBottom}
          customerName={name}
          userName={user.name}
          onboardedAt={number?.onboardedAt ?? null}
          onReply={(target) => setReply({ conversationId, target })}
        />

        {!c || !numbers ? (
          <div className="h-17 shrink-0 border-t border-zinc-200 bg-white" />
        ) : (
          <ReplyArea
            conversation={c}
            number={number}
            numberNotice={numberNotice}
            windowState={windowState}
            replyTo={reply?.conversationId === conversationId ? reply.target : null}
            onClearReply={() => setReply(null)}
            onSent={() => {
              isNearBottom.current = true;
            }}
          />
        )}
      </div>
      {isPanelOpen && c ? (
        <ContactPanel
          id={panelId}
          conversation={c}
          number={number}
          mode={contactPanel.mode}
          onClose={() => contactPanel.setOpen(false)}
        />
      ) : null}
    </section>
  );
}

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

function MessageLog({
  conversationId,
  query,
  now,
  isNearBottom,
  customerName,
  userName,
  onboardedAt,
  onReply,
}: {
  conversationId: string;
  query: UseInfiniteQueryResult<InfiniteData<MessagePage>, Error>;
  now: Date;
  isNearBottom: RefObject<boolean>;
  customerName: string;
  userName: string;
  onboardedAt: string | null;
  onReply: (target: ReplyTarget) => void;
}) {
  const ordered = useMemo(() => {
    const seen = new Set<string>();
    const out: MessageDto[] = [];
    for (const page of query.data?.pages ?? []) {
      for (const m of page.messages) {
        if (!seen.has(m.id)) {
          seen.add(m.id);
          out.push(m);
        }
      }
    }
    return out.reverse();
  }, [query.data]);

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
  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
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
      el.scrollTop = el.scrollHeight;
    } else if (last !== previous.last) {
      if (isNearBottom.current) el.scrollTop = el.scrollHeight;
      else setHasNewBelow(true);
    } else if (first !== previous.first) {
      el.scrollTop = el.scrollHeight - distanceFromBottom.current;
    }
    edges.current = { first, last };
    distanceFromBottom.current = el.scrollHeight - el.scrollTop;
  }, [ordered, isNearBottom]);

  // The composer growing or a notice appearing must not hide the newest message.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      if (isNearBottom.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
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
      <div
        ref={scroller}
        onScroll={onScroll}
        role="log"
        aria-label="Messages"
        className="min-h-0 flex-1 overflow-y-auto px-3 py-3 [overflow-anchor:none] sm:px-6"
        data-conversation-id={conversationId}
      >
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
            <span className="rounded-full bg-white/70 px-3 py-1 text-[11px] text-zinc-500">Start of the conversation</span>
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
          <p className="py-10 text-center text-sm text-zinc-500">No messages in this conversation yet.</p>
        ) : (
          groupByDay(ordered).map((group) => (
            // Each day is its own box so its sticky label gives way to the next day's.
            <div key={group.key} className="pb-2">
              <div className="sticky top-0 z-10 flex justify-center py-2">
                <span className="rounded-lg bg-white px-3 py-1 text-xs font-medium text-zinc-600 shadow-xs">
                  {formatDayLabel(group.firstAt, now)}
                </span>
              </div>
              <div className="space-y-1.5">
                {group.messages.map((message, index) => {
                  const previous = group.messages[index - 1];
                  return (
                    <div key={message.id} className={previous && previous.direction !== message.direction ? "pt-2" : ""}>
                      <MessageItem message={message} context={context} />
                    </div>
                  );
                })}
              </div>
            </div>
          ))
        )}
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
          className="absolute bottom-3 left-1/2 inline-flex -translate-x-1/2 items-center gap-1.5 rounded-full bg-emerald-600 px-3.5 py-1.5 text-xs font-medium text-white shadow-md hover:bg-emerald-700"
        >
          <ArrowDownIcon className="size-3.5" />
          New messages
        </button>
      ) : null}
    </div>
  );
}
