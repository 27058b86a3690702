"use client";

import { type InfiniteData, type QueryClient, useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { LabelChips } from "@/components/labels/label-chip";
import { Avatar } from "@/components/ui/avatar";
import { AlertIcon, ArrowLeftIcon, InboxIcon, LockIcon, PanelRightIcon } from "@/components/ui/icons";
import { isApiError } from "@/lib/client/api";
import {
  contactName,
  describeNumberNotice,
  describeWindow,
  formatPhone,
  type NumberNotice,
  nameSourceLabel,
} from "@/lib/client/format";
import { markRead } from "@/lib/client/mark-read";
import {
  conversationQuery,
  labelsQuery,
  markConversationRead,
  mentionsQuery,
  messagesQuery,
  numberMembersQuery,
  queryKeys,
} from "@/lib/client/queries";
import { refreshThread } from "@/lib/client/thread-refresh";
import type { ConversationPage, NumberDto } from "@/lib/client/types";
import { useNow } from "@/lib/client/use-now";
import { mentionPattern } from "@/lib/mentions";
import type { ReplyTarget } from "./composer";
import { ContactPanel } from "./contact-panel";
import { ConversationControls } from "./conversation-controls";
import { MessageLog } from "./message-log";
import { PresenceBar } from "./presence-bar";
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
function useMarkRead(conversationId: string, unreadCount: number, isLive: boolean) {
  const queryClient = useQueryClient();
  const isVisible = useIsPageVisible();
  const inFlight = useRef(false);
  // Counts finished requests: anything that arrived meanwhile is looked at again, and marked in turn.
  const [settled, setSettled] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `settled` re-runs the check after each request
  useEffect(() => {
    if (unreadCount === 0 || !isVisible || inFlight.current) return;
    inFlight.current = true;
    void markRead(queryClient, conversationId, { isLive }).finally(() => {
      inFlight.current = false;
      setSettled((n) => n + 1);
    });
  }, [conversationId, unreadCount, isVisible, isLive, queryClient, settled]);
}

/** Opening a conversation where the user was mentioned reads those mentions. */
function useMarkMentionsRead(conversationId: string) {
  const queryClient = useQueryClient();
  const isVisible = useIsPageVisible();
  const mentions = useQuery(mentionsQuery());
  const hasUnread = isVisible && (mentions.data ?? []).some((m) => m.conversationId === conversationId);
  useEffect(() => {
    if (!hasUnread) return;
    markConversationRead(conversationId)
      .catch(() => {})
      .finally(() => void queryClient.invalidateQueries({ queryKey: queryKeys.mentions }));
  }, [conversationId, hasUnread, queryClient]);
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
        <p className="mt-1 text-sm text-zinc-600">Its messages, window and composer appear here.</p>
      </div>
    </section>
  );
}

type ThreadProps = {
  className: string;
  /** Open at this message (a search hit) instead of the first unread or the newest. */
  focusMessageId: string | null;
  /** undefined while loading: the composer waits, so a read-only number never flashes a text box. */
  numbers: NumberDto[] | undefined;
  pollMs: number | false;
  user: { id: string; name: string; role: "admin" | "agent" };
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
  focusMessageId,
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
  const messages = useInfiniteQuery(messagesQuery(conversationId));
  // Without the socket, the thread is polled by its newest page, not by every page read back.
  useEffect(() => {
    if (!pollMs) return;
    const timer = setInterval(() => void refreshThread(queryClient, conversationId).catch(() => {}), pollMs);
    return () => clearInterval(timer);
  }, [pollMs, queryClient, conversationId]);
  // How many customer messages were unread when the thread opened: the log starts at the first of them.
  const unreadAtOpen = useRef<number | null>(null);
  if (unreadAtOpen.current === null && conversation.data && !conversation.isPlaceholderData)
    unreadAtOpen.current = conversation.data.unreadCount;
  useMarkRead(conversationId, conversation.isPlaceholderData ? 0 : (conversation.data?.unreadCount ?? 0), pollMs === false);
  useMarkMentionsRead(conversationId);
  const [controlError, setControlError] = useState<string | null>(null);
  // The message being quoted, remembered with its conversation so switching threads drops it.
  const [reply, setReply] = useState<{ conversationId: string; target: ReplyTarget } | null>(null);
  const panelId = useId();

  const c = conversation.data;
  // Notes draw their mentions by the number's members, the names the server reads them by: asked
  // for once the thread holds a note.
  const hasNotes = useMemo(
    () => messages.data?.pages.some((p) => p.messages.some((m) => m.origin === "note")) ?? false,
    [messages.data],
  );
  const members = useQuery({ ...numberMembersQuery(c?.numberId ?? ""), enabled: c !== undefined && hasNotes });
  const memberMentions = useMemo(() => mentionPattern(members.data?.map((m) => m.name) ?? []), [members.data]);
  const number = c ? numbers?.find((n) => n.id === c.numberId) : undefined;
  const name = c ? contactName(c) : "";
  const labels = useQuery(labelsQuery()).data ?? [];
  const address = c ? formatPhone(c.contact.waId ?? c.contact.userId) : "";
  const windowState = c ? describeWindow(c, now) : null;
  const numberNotice = number ? describeNumberNotice(number) : null;
  // Shared with the composer: once a send starts, the log follows the new bubble even if scrolled up.
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
                <h2
                  dir="auto"
                  className="truncate text-left text-[15px] font-semibold text-zinc-900"
                  title={nameSourceLabel[c.contact.nameSource]}
                >
                  {name}
                </h2>
                <p className="truncate text-xs text-zinc-500">
                  {address && address !== name ? address : null}
                  {address && address !== name && number ? " · " : null}
                  {number ? `via ${number.verifiedName || formatPhone(number.displayPhoneNumber)}` : null}
                </p>
                <LabelChips labelIds={c.labelIds} labels={labels} className="mt-1" />
              </div>
              {/* The controls join the name's row only where both fit: the name is never cut short for them. */}
              <div className="order-last w-full @4xl:order-none @4xl:w-auto">
                <ConversationControls
                  conversation={c}
                  currentUserId={user.id}
                  isAdmin={user.role === "admin"}
                  onError={setControlError}
                />
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
          focusMessageId={focusMessageId}
          unreadAtOpen={unreadAtOpen.current}
          query={messages}
          now={now}
          isNearBottom={isNearBottom}
          customerName={name}
          userName={user.name}
          onboardedAt={number?.onboardedAt ?? null}
          mentions={memberMentions}
          onReply={(target) => setReply({ conversationId, target })}
        />

        <PresenceBar conversationId={conversationId} userId={user.id} />
        {!c || !numbers ? (
          <div className="h-17 shrink-0 border-t border-zinc-200 bg-white" />
        ) : (
          <ReplyArea
            conversation={c}
            userId={user.id}
            number={number}
            numberNotice={numberNotice}
            windowState={windowState}
            replyTo={reply?.conversationId === conversationId ? reply.target : null}
            onClearReply={() => setReply(null)}
            onSend={() => {
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
