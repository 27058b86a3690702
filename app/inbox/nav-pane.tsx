"use client";

import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import type { MouseEvent, ReactNode } from "react";
import { LabelDot } from "@/components/labels/label-chip";
import { ArrowLeftIcon, InboxIcon, UserIcon } from "@/components/ui/icons";
import { describeHistory, describeNumberNotice, formatDateTime, formatPhone, numberStateLabel } from "@/lib/client/format";
import { labelsQuery, mentionsQuery, unreadCountsQuery } from "@/lib/client/queries";
import type { ConversationStatus, ConversationView, NumberDto, NumberState } from "@/lib/client/types";
import { useNow } from "@/lib/client/use-now";
import type { InboxParams, InboxPatch } from "./use-inbox-params";

const viewItems: { view: ConversationView; label: string; icon: ReactNode }[] = [
  { view: "mine", label: "Mine", icon: <UserIcon className="size-4" /> },
  { view: "unassigned", label: "Unassigned", icon: <InboxIcon className="size-4" /> },
  { view: "all", label: "All", icon: <InboxIcon className="size-4" /> },
];

const windowItems: { window: "closing" | "closed" | null; label: string }[] = [
  { window: null, label: "Any window" },
  { window: "closing", label: "Closing within 2 h" },
  { window: "closed", label: "Closed: templates only" },
];

const statusItems: { status: ConversationStatus | "all"; label: string }[] = [
  { status: "open", label: "Open" },
  { status: "pending", label: "Pending" },
  { status: "snoozed", label: "Snoozed" },
  { status: "resolved", label: "Resolved" },
  { status: "all", label: "All statuses" },
];

const stateDot: Record<NumberState, string> = {
  connected: "bg-emerald-500",
  offboarded: "bg-amber-500",
  restricted: "bg-amber-500",
  disconnected: "bg-red-500",
  uninstalled: "bg-red-500",
  deleted: "bg-zinc-400",
};

/** A link that changes the inbox URL in place; modified clicks still open a new tab. */
function PaneLink({
  href,
  isCurrent,
  onNavigate,
  className,
  children,
}: {
  href: string;
  isCurrent: boolean;
  onNavigate: () => void;
  className: string;
  children: ReactNode;
}) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    onNavigate();
  };
  return (
    <a href={href} aria-current={isCurrent ? "true" : undefined} onClick={onClick} className={className}>
      {children}
    </a>
  );
}

const historyTone = { muted: "text-zinc-500", busy: "text-sky-700", bad: "text-red-700" } as const;

/** A number's lifecycle state and its history sync, in one or two short lines. */
function NumberStatus({ number, now, staleAfterMs }: { number: NumberDto; now: Date; staleAfterMs: number }) {
  const state = numberStateLabel[number.state];
  const notice = describeNumberNotice(number);
  const history = describeHistory(number.history, now, staleAfterMs);
  const isReadOnly = !state.canSend && number.state !== "offboarded";
  return (
    <>
      <span
        className={`mt-0.5 flex items-center gap-1.5 text-xs font-normal ${number.state === "connected" ? "text-zinc-500" : notice?.tone === "warning" ? "text-amber-800" : "text-red-700"}`}
        title={notice?.text ?? (number.stateChangedAt ? `Connected since ${formatDateTime(number.stateChangedAt)}` : undefined)}
      >
        <span className={`size-1.5 shrink-0 rounded-full ${stateDot[number.state]}`} aria-hidden="true" />
        <span className="truncate">
          {state.label}
          {isReadOnly ? " · read-only" : ""}
        </span>
      </span>
      {history ? (
        <span
          className={`mt-0.5 block text-xs leading-snug font-normal ${historyTone[history.tone]}`}
          title={number.history?.error?.message ?? number.history?.error?.title ?? undefined}
        >
          {history.text}
        </span>
      ) : null}
    </>
  );
}

const itemClass = (isCurrent: boolean) =>
  `flex w-full items-center gap-2.5 rounded-lg px-2.5 py-2 text-sm transition-colors ${
    isCurrent ? "bg-emerald-50 font-medium text-emerald-900" : "text-zinc-700 hover:bg-zinc-100"
  }`;

function SectionTitle({ children }: { children: ReactNode }) {
  return <h2 className="px-2.5 pb-1.5 text-xs font-semibold tracking-wide text-zinc-500 uppercase">{children}</h2>;
}

/** Unread conversations in a view; the same query feeds the tab title. */
function UnreadBadge({ count }: { count: number | undefined }) {
  if (!count) return null;
  return (
    <span className="ml-auto rounded-full bg-emerald-700 px-1.5 py-px text-[11px] font-semibold text-white tabular-nums">
      {count}
      <span className="sr-only"> unread</span>
    </span>
  );
}

/** Notes that name the user, unread until they open the conversation; kept across reloads. */
function MentionsSection({
  hrefFor,
  onNavigate,
}: {
  hrefFor: (patch: InboxPatch) => string;
  onNavigate: (patch: InboxPatch) => void;
}) {
  const mentions = useQuery(mentionsQuery());
  const list = mentions.data ?? [];
  if (list.length === 0) return null;
  return (
    <section aria-labelledby="nav-mentions">
      <SectionTitle>
        <span id="nav-mentions">Mentions</span>
      </SectionTitle>
      <ul className="space-y-0.5">
        {list.map((m) => (
          <li key={m.messageId}>
            <PaneLink
              href={hrefFor({ c: m.conversationId, m: m.messageId })}
              isCurrent={false}
              onNavigate={() => onNavigate({ c: m.conversationId, m: m.messageId })}
              className={`${itemClass(false)} items-start`}
            >
              <span className="mt-1.5 size-2 shrink-0 rounded-full bg-amber-500" aria-hidden="true" />
              <span className="min-w-0 flex-1">
                <span className="block truncate">
                  {m.authorName ?? "A teammate"} in {formatPhone(m.contactName)}
                </span>
                <span className="block truncate text-xs text-zinc-600">{m.text}</span>
              </span>
            </PaneLink>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function NavPane({
  className,
  numbers,
  params,
  hrefFor,
  onNavigate,
  onClose,
  role,
  historyStaleAfterMs,
}: {
  className: string;
  role: "admin" | "agent";
  historyStaleAfterMs: number;
  numbers: UseQueryResult<NumberDto[]>;
  params: InboxParams;
  hrefFor: (patch: InboxPatch) => string;
  onNavigate: (patch: InboxPatch) => void;
  onClose: () => void;
}) {
  const list = numbers.data ?? [];
  const now = useNow(60_000);
  const statusParam = params.status ?? "all";
  const unread = useQuery(unreadCountsQuery());
  const labels = useQuery(labelsQuery()).data ?? [];

  return (
    <nav
      aria-label="Inbox"
      className={`${className} min-h-0 w-full flex-col overflow-y-auto border-zinc-200 bg-white lg:border-r lg:bg-zinc-50/60`}
    >
      <div className="flex items-center gap-2 border-b border-zinc-200 px-3 py-2.5 lg:hidden">
        <button
          type="button"
          onClick={onClose}
          className="inline-flex size-9 items-center justify-center rounded-lg text-zinc-700 hover:bg-zinc-100"
          aria-label="Back to conversations"
        >
          <ArrowLeftIcon className="size-5" />
        </button>
        <span className="text-base font-semibold">Numbers and views</span>
      </div>

      <div className="space-y-6 p-3 lg:pt-4">
        <section aria-labelledby="nav-numbers">
          <SectionTitle>
            <span id="nav-numbers">Numbers</span>
          </SectionTitle>
          {numbers.isPending ? (
            <div className="space-y-2 px-2.5 py-1" aria-hidden="true">
              <div className="h-4 w-32 animate-pulse rounded bg-zinc-200" />
              <div className="h-3 w-24 animate-pulse rounded bg-zinc-200" />
            </div>
          ) : numbers.isError ? (
            <p className="px-2.5 text-sm text-red-700">Numbers could not be loaded: {numbers.error.message}</p>
          ) : list.length === 0 ? (
            <p className="px-2.5 text-sm text-zinc-500">
              {role === "admin" ? (
                <>
                  No WhatsApp number is connected yet.{" "}
                  <a href="/settings/numbers" className="font-medium text-emerald-800 underline underline-offset-2">
                    Connect one
                  </a>
                </>
              ) : (
                "You do not have access to any number yet. Ask an admin to add you to one."
              )}
            </p>
          ) : (
            <ul className="space-y-0.5">
              {list.length > 1 ? (
                <li>
                  <PaneLink
                    href={hrefFor({ number: null })}
                    isCurrent={params.numberId === null}
                    onNavigate={() => onNavigate({ number: null })}
                    className={itemClass(params.numberId === null)}
                  >
                    All numbers
                  </PaneLink>
                </li>
              ) : null}
              {list.map((n) => {
                const isCurrent = params.numberId === n.id;
                return (
                  <li key={n.id}>
                    <PaneLink
                      href={hrefFor({ number: n.id })}
                      isCurrent={isCurrent}
                      onNavigate={() => onNavigate({ number: n.id })}
                      className={`${itemClass(isCurrent)} items-start`}
                    >
                      <span className="min-w-0 flex-1">
                        <span className="block truncate">{n.verifiedName || formatPhone(n.displayPhoneNumber)}</span>
                        {n.verifiedName ? (
                          <span className="block truncate text-xs font-normal text-zinc-500">
                            {formatPhone(n.displayPhoneNumber)}
                          </span>
                        ) : null}
                        <NumberStatus number={n} now={now} staleAfterMs={historyStaleAfterMs} />
                      </span>
                    </PaneLink>
                  </li>
                );
              })}
            </ul>
          )}
        </section>

        <MentionsSection hrefFor={hrefFor} onNavigate={onNavigate} />

        <section aria-labelledby="nav-views">
          <SectionTitle>
            <span id="nav-views">Views</span>
          </SectionTitle>
          <ul className="space-y-0.5">
            {viewItems.map((item) => (
              <li key={item.view}>
                <PaneLink
                  href={hrefFor({ view: item.view })}
                  isCurrent={params.view === item.view}
                  onNavigate={() => onNavigate({ view: item.view })}
                  className={itemClass(params.view === item.view)}
                >
                  <span className={params.view === item.view ? "text-emerald-700" : "text-zinc-400"}>{item.icon}</span>
                  {item.label}
                  <UnreadBadge count={unread.data?.[item.view]} />
                </PaneLink>
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="nav-window">
          <SectionTitle>
            <span id="nav-window">24-hour window</span>
          </SectionTitle>
          <ul className="space-y-0.5">
            {windowItems.map((item) => (
              <li key={item.label}>
                <PaneLink
                  href={hrefFor({ window: item.window })}
                  isCurrent={params.window === item.window}
                  onNavigate={() => onNavigate({ window: item.window })}
                  className={itemClass(params.window === item.window)}
                >
                  {item.label}
                </PaneLink>
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="nav-status">
          <SectionTitle>
            <span id="nav-status">Status</span>
          </SectionTitle>
          <ul className="space-y-0.5">
            {statusItems.map((item) => (
              <li key={item.status}>
                <PaneLink
                  href={hrefFor({ status: item.status })}
                  isCurrent={statusParam === item.status}
                  onNavigate={() => onNavigate({ status: item.status })}
                  className={itemClass(statusParam === item.status)}
                >
                  <span
                    aria-hidden="true"
                    className={`size-2 rounded-full ${
                      item.status === "open"
                        ? "bg-emerald-500"
                        : item.status === "pending"
                          ? "bg-amber-500"
                          : item.status === "snoozed"
                            ? "bg-sky-500"
                            : item.status === "resolved"
                              ? "bg-zinc-400"
                              : "border border-zinc-400"
                    }`}
                  />
                  {item.label}
                </PaneLink>
              </li>
            ))}
          </ul>
        </section>

        {labels.length > 0 ? (
          <section aria-labelledby="nav-labels">
            <SectionTitle>
              <span id="nav-labels">Labels</span>
            </SectionTitle>
            <ul className="space-y-0.5">
              {[{ id: null, name: "Any label", color: null }, ...labels].map((label) => (
                <li key={label.id ?? "any"}>
                  <PaneLink
                    href={hrefFor({ label: label.id })}
                    isCurrent={params.labelId === label.id}
                    onNavigate={() => onNavigate({ label: label.id })}
                    className={itemClass(params.labelId === label.id)}
                  >
                    {label.color ? (
                      <LabelDot color={label.color} />
                    ) : (
                      <span aria-hidden="true" className="size-2 rounded-full border border-zinc-400" />
                    )}
                    <span className="truncate">{label.name}</span>
                  </PaneLink>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    </nav>
  );
}
