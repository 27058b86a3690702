"use client";

import { type MouseEvent, memo } from "react";
import { LabelChips } from "@/components/labels/label-chip";
import { Avatar } from "@/components/ui/avatar";
import { AlertIcon, ReplyIcon } from "@/components/ui/icons";
import {
  contactName,
  describeWindow,
  explainSendError,
  formatDateTime,
  formatFullDate,
  formatListTime,
  textDirection,
} from "@/lib/client/format";
import { HIGHLIGHT_END, HIGHLIGHT_START } from "@/lib/client/search";
import { serverNow } from "@/lib/client/server-clock";
import type { ConversationDto, LabelDto } from "@/lib/client/types";
import { stripWhatsAppFormatting } from "@/lib/client/whatsapp-format";

const chipTone = {
  open: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  closing: "bg-amber-50 text-amber-800 ring-amber-200",
  closed: "bg-zinc-100 text-zinc-600 ring-zinc-200",
} as const;

function WindowChip({ conversation, now }: { conversation: ConversationDto; now: Date }) {
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
export const ConversationRow = memo(function ConversationRow({
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
              dir="auto"
              className={`min-w-0 flex-1 truncate text-left text-sm ${hasUnread ? "font-semibold text-zinc-950" : "font-medium text-zinc-800"}`}
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
              {(conversation.match?.direction ?? conversation.lastMessageDirection) === "outbound" ? (
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
                // A message in a right-to-left script keeps its first words in view (cut at its end).
                <span dir="auto" className="truncate">
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

/** Text before a search match this short is never cut. */
const SHORT_LEAD_CHARS = 12;

/**
 * A search hit: the matching message's text with the matched words marked, in the direction the
 * message reads. On a narrow row the text before the first match gives way first, cut at its start,
 * so the match stays in view.
 */
function MatchSnippet({ snippet }: { snippet: string }) {
  // One line: the spaces between the parts are kept (white-space: pre), so runs of them are one.
  const [before = "", ...parts] = snippet.replace(/\s+/g, " ").split(HIGHLIGHT_START);
  const direction = textDirection(snippet);
  return (
    <span dir={direction} className="flex min-w-0">
      <span className="sr-only">Matching message: </span>
      {before.length > SHORT_LEAD_CHARS ? (
        <>
          {/* Set against the text's direction only to put the ellipsis at its start, a few words
          before the match left in view. A closing space would move to the far end of that line, so
          it follows on its own. */}
          <span
            dir={direction === "rtl" ? "ltr" : "rtl"}
            className="min-w-16 shrink-[1000] overflow-hidden text-ellipsis whitespace-pre"
          >
            <span dir={direction}>{before.trimEnd()}</span>
          </span>
          {/\s$/.test(before) ? <span className="shrink-0 whitespace-pre"> </span> : null}
        </>
      ) : before ? (
        <span className="shrink-0 whitespace-pre">{before}</span>
      ) : null}
      <span className="min-w-0 overflow-hidden text-ellipsis whitespace-pre">
        {parts.map((part, i) => {
          const [marked, rest] = part.split(HIGHLIGHT_END);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet never reorder
            <span key={i}>
              <mark className="rounded-sm bg-amber-100 px-0.5 text-zinc-900">{marked}</mark>
              {rest}
            </span>
          );
        })}
      </span>
    </span>
  );
}
