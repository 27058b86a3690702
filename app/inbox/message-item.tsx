"use client";

import { memo, useId, useState } from "react";
import {
  AlertIcon,
  ArchiveIcon,
  BanIcon,
  CheckIcon,
  ClockIcon,
  DoubleCheckIcon,
  InfoIcon,
  LockIcon,
  PhoneIcon,
  ReplyIcon,
  TemplateIcon,
} from "@/components/ui/icons";
import { formatClock, formatFullDate } from "@/lib/client/format";
import type { MessageDto, MessageStatus } from "@/lib/client/types";
import { describeType, isNotYetAvailable, MessageBody } from "./message-body";
import { MessageConfirming, MessageFailure } from "./message-failure";
import { ReactionPicker } from "./reaction-picker";

/** What a bubble needs to know about its thread: who the customer is, the number, the other messages. */
export type ThreadContext = {
  customerName: string;
  /** The current user's name: their own messages are quoted as "You". */
  userName: string;
  /** The number's onboarding: history media older than 14 days before it never arrives. */
  onboardedAt: string | null;
  findMessage: (id: string) => MessageDto | undefined;
  /** Scrolls to a loaded message and highlights it briefly. */
  onJumpTo: (id: string) => void;
  /** Quotes this message in the composer (WhatsApp's `context`). */
  onReply: (message: MessageDto) => void;
  /** Matches `@Name` of the number's members (lib/mentions), or null while they load. */
  mentions: RegExp | null;
};

const statusLabels: Record<MessageStatus, string> = {
  received: "received",
  queued: "queued",
  unconfirmed: "sent? confirming",
  sent: "sent",
  delivered: "delivered",
  read: "read",
  played: "played",
  failed: "failed",
};

function StatusTick({ status }: { status: MessageStatus }) {
  const icon =
    status === "queued" ? (
      <ClockIcon className="size-3.5 text-zinc-600" />
    ) : status === "unconfirmed" ? (
      <ClockIcon className="size-3.5 text-amber-600" />
    ) : status === "sent" ? (
      <CheckIcon className="size-3.5 text-zinc-600" />
    ) : status === "delivered" ? (
      <DoubleCheckIcon className="h-3.5 w-4 text-zinc-600" />
    ) : status === "read" || status === "played" ? (
      <DoubleCheckIcon className="h-3.5 w-4 text-sky-500" />
    ) : status === "failed" ? (
      <AlertIcon className="size-3.5 text-red-600" />
    ) : null;
  if (!icon) return null;
  return (
    <span role="img" aria-label={`Status: ${statusLabels[status]}`} title={statusLabels[status]} className="inline-flex">
      {icon}
    </span>
  );
}

export const PHONE_EXPLANATION = "Sent from the WhatsApp Business app on the phone. Meta does not say which person sent it.";

const authorClass = "mt-0.5 inline-flex items-center gap-1 px-1 text-[11px] text-zinc-600";

/** A phone echo names the app, never a bot or a person: Meta does not say who typed it. */
function PhoneAuthor() {
  const [isOpen, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      <button
        type="button"
        aria-expanded={isOpen}
        aria-controls={id}
        aria-describedby={id}
        title={PHONE_EXPLANATION}
        onClick={() => setOpen((open) => !open)}
        className={`${authorClass} rounded hover:text-zinc-800`}
      >
        <PhoneIcon className="size-3" />
        WhatsApp Business app
        <InfoIcon className="size-3 text-zinc-400" />
      </button>
      <p id={id} hidden={!isOpen} className="max-w-64 px-1 text-right text-[11px] leading-snug text-zinc-600">
        {PHONE_EXPLANATION}
      </p>
    </>
  );
}

/** Who sent a message, under its bubble. Customers need none (the header names them) unless imported. */
function AuthorLine({ message }: { message: MessageDto }) {
  switch (message.origin) {
    case "customer":
      return null;
    case "phone":
      return <PhoneAuthor />;
    case "history":
      return (
        <p className={authorClass} title="Imported from the WhatsApp Business app when the number was connected">
          <ArchiveIcon className="size-3" />
          Imported history
        </p>
      );
    case "template":
      return (
        <p className={authorClass}>
          <TemplateIcon className="size-3" />
          {message.authorName ? `Template · ${message.authorName}` : "Template"}
        </p>
      );
    case "campaign":
      return <p className={authorClass}>Campaign</p>;
    default:
      return (
        <p className={authorClass}>
          <span className="font-medium text-zinc-600">{message.authorName ?? "Former team member"}</span>
          <span aria-hidden="true">·</span>
          sent from Tandem
        </p>
      );
  }
}

type Quoted = NonNullable<MessageDto["quoted"]>;

function quotedSender(quoted: Quoted, context: ThreadContext) {
  if (quoted.direction === "inbound") return context.customerName;
  switch (quoted.origin) {
    case "phone":
      return "WhatsApp Business app";
    case "template":
      return "Template";
    case "campaign":
      return "Campaign";
    case "history":
      return "Your business";
    default: {
      const author = context.findMessage(quoted.id)?.authorName;
      if (!author) return "Your team";
      return author === context.userName ? "You" : author;
    }
  }
}

/** The message a reply quotes; a click goes to it when it is loaded. */
function QuoteBlock({ message, context }: { message: MessageDto; context: ThreadContext }) {
  const quoted = message.quoted?.id ? message.quoted : null;
  if (!quoted) {
    return (
      <span className="mb-1 block rounded-md border-l-4 border-zinc-300 bg-black/[0.04] px-2 py-1 text-xs text-zinc-600 italic">
        <span className="sr-only">Reply to an earlier message: </span>
        Original message not in Tandem
      </span>
    );
  }
  const text = quoted.deletedAt ? "Deleted message" : (quoted.body ?? describeType(quoted.type));
  const isInbound = quoted.direction === "inbound";
  return (
    <button
      type="button"
      onClick={() => context.onJumpTo(quoted.id)}
      title="Go to the quoted message"
      className={`mb-1 block w-full min-w-40 rounded-md border-l-4 bg-black/[0.04] px-2 py-1 text-left text-xs whitespace-normal hover:bg-black/[0.07] ${
        isInbound ? "border-sky-500" : "border-emerald-500"
      }`}
    >
      <span className="sr-only">Reply to </span>
      <span className={`block font-medium ${isInbound ? "text-sky-800" : "text-emerald-800"}`}>
        {quotedSender(quoted, context)}
      </span>
      <span className={`line-clamp-2 text-zinc-600 ${quoted.deletedAt ? "italic" : ""}`}>{text}</span>
    </button>
  );
}

function Reactions({ message, customerName }: { message: MessageDto; customerName: string }) {
  const reactions = message.reactions ?? [];
  if (reactions.length === 0) return null;
  const from = (reactor: "customer" | "business") => (reactor === "customer" ? customerName : "the business");
  const label = reactions.map((r) => `${r.emoji} from ${from(r.reactor)}`).join(", ");
  return (
    <span
      role="img"
      aria-label={`Reactions: ${label}`}
      className="relative z-[1] mx-2 -mt-1.5 inline-flex gap-1 rounded-full border border-zinc-200 bg-white px-1.5 py-px text-sm leading-5 shadow-xs"
    >
      {reactions.map((r) => (
        <span key={r.reactor} title={`Reaction from ${from(r.reactor)}`}>
          {r.emoji}
        </span>
      ))}
    </span>
  );
}

/**
 * A deleted message says so, and by whom. Its original stays in the audit trail: the server sends
 * it to admins only, so agents never get a "Show original" button.
 */
function DeletedBody({ message, onboardedAt }: { message: MessageDto; onboardedAt: string | null }) {
  const [isOpen, setOpen] = useState(false);
  const id = useId();
  const by = message.direction === "inbound" ? "Deleted by the customer" : "Deleted on the phone";
  const hasOriginal = message.body !== null || message.content !== null;
  return (
    <>
      <span className="flex items-center gap-1.5 text-zinc-600 italic">
        <BanIcon className="size-4 shrink-0" />
        This message was deleted
      </span>
      <span className="mt-0.5 flex flex-wrap items-center gap-x-1.5 text-xs text-zinc-600">
        <span title={message.deletedAt ? formatFullDate(message.deletedAt) : undefined}>{by}</span>
        {hasOriginal ? (
          <>
            <span aria-hidden="true">·</span>
            <button
              type="button"
              aria-expanded={isOpen}
              aria-controls={id}
              onClick={() => setOpen((open) => !open)}
              className="font-medium text-zinc-700 underline decoration-zinc-400 underline-offset-2 hover:text-zinc-900"
            >
              {isOpen ? "Hide original" : "Show original"}
            </button>
          </>
        ) : null}
      </span>
      {hasOriginal ? (
        <span id={id} hidden={!isOpen} className="mt-1.5 block rounded-md border border-dashed border-zinc-300 px-2 py-1.5">
          <span className="block text-[11px] font-medium text-zinc-600">Original, visible only to admins</span>
          {isOpen ? <MessageBody message={message} onboardedAt={onboardedAt} /> : null}
        </span>
      ) : null}
    </>
  );
}

/** Earlier versions of an edited message, the original first. */
function EditHistory({ id, message, isOpen }: { id: string; message: MessageDto; isOpen: boolean }) {
  const versions = message.editHistory?.length ? message.editHistory : [{ body: message.body, at: message.sentAt }];
  return (
    <div
      id={id}
      hidden={!isOpen}
      className="mt-1 w-72 max-w-[85%] rounded-lg border border-zinc-200 bg-white px-3 py-2 text-sm shadow-xs sm:max-w-[70%]"
    >
      <p className="text-xs font-semibold text-zinc-600">Earlier versions</p>
      <ol className="mt-1 space-y-1.5">
        {versions.map((version, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: versions of a message only ever grow at the end
          <li key={i}>
            <span className="block text-[11px] text-zinc-600">
              {i === 0 ? "Original" : `Edit ${i}`} ·{" "}
              <time dateTime={version.at} title={formatFullDate(version.at)}>
                {formatClock(version.at)}
              </time>
            </span>
            <span className="block break-words whitespace-pre-wrap text-zinc-800">
              {version.body ?? <span className="text-zinc-600 italic">No text</span>}
            </span>
          </li>
        ))}
      </ol>
      {message.editedAt ? (
        <p className="mt-1.5 border-t border-zinc-100 pt-1.5 text-[11px] text-zinc-600">
          Changed to the current text at{" "}
          <time dateTime={message.editedAt} title={formatFullDate(message.editedAt)}>
            {formatClock(message.editedAt)}
          </time>
          {message.direction === "inbound" ? " by the customer" : " on the phone"}
        </p>
      ) : null}
    </div>
  );
}

/** WhatsApp could not show the message yet (131060): a note, not a customer bubble. */
function NotYetAvailable({ message }: { message: MessageDto }) {
  return (
    <div className="flex justify-center py-0.5" data-message-id={message.id} tabIndex={-1}>
      <p className="max-w-md rounded-lg border border-dashed border-zinc-300 bg-white/60 px-3 py-1.5 text-center text-xs text-zinc-600">
        <AlertIcon className="mr-1 inline size-3.5 align-[-2px] text-zinc-400" />
        Message not yet available on WhatsApp. Open the WhatsApp Business app to see it.{" "}
        <time dateTime={message.sentAt} title={formatFullDate(message.sentAt)} className="text-zinc-600 tabular-nums">
          {formatClock(message.sentAt)}
        </time>
      </p>
    </div>
  );
}

/** A private note of the team: never sent to WhatsApp, so it looks like no bubble of the chat. */
function NoteItem({ message, mentions }: { message: MessageDto; mentions: RegExp | null }) {
  const author = message.authorName ?? "Former team member";
  // The names of the number's members, as the server reads mentions (none drawn until they load).
  const parts = mentions ? (message.body ?? "").split(mentions) : [message.body ?? ""];
  return (
    <div className="flex justify-center py-0.5" data-message-id={message.id} tabIndex={-1}>
      <div
        role="note"
        aria-label={`Note by ${author}`}
        className="w-full max-w-xl rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-[14px] leading-snug text-zinc-900 shadow-xs"
      >
        <p className="mb-0.5 flex items-center gap-1.5 text-[11px] font-medium text-amber-900">
          <LockIcon className="size-3" />
          Note · {author}
          <span aria-hidden="true">·</span>
          <time dateTime={message.sentAt} title={formatFullDate(message.sentAt)} className="font-normal tabular-nums">
            {formatClock(message.sentAt)}
          </time>
        </p>
        <p className="break-words whitespace-pre-wrap">
          {parts.map((part, i) =>
            i % 2 === 1 ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one immutable text
              <strong key={i} className="font-semibold text-amber-900">
                {part}
              </strong>
            ) : (
              part
            ),
          )}
        </p>
      </div>
    </div>
  );
}

const metaWidth = (isOutbound: boolean, isEdited: boolean) =>
  isOutbound ? (isEdited ? "w-[6.75rem]" : "w-16") : isEdited ? "w-[5.25rem]" : "w-11";

export const MessageItem = memo(function MessageItem({ message, context }: { message: MessageDto; context: ThreadContext }) {
  const [isShowingVersions, setShowingVersions] = useState(false);
  const versionsId = useId();
  const isOutbound = message.direction === "outbound";
  const isDeleted = message.deletedAt !== null;
  const isEdited = !isDeleted && message.editedAt !== null;

  if (message.origin === "note") return <NoteItem message={message} mentions={context.mentions} />;
  if (!isDeleted && isNotYetAvailable(message)) return <NotYetAvailable message={message} />;

  return (
    <div
      className={`flex flex-col rounded-lg ${isOutbound ? "items-end" : "items-start"}`}
      data-message-id={message.id}
      // Focus lands here when a quote jumps to it.
      tabIndex={-1}
    >
      <div className={`group/bubble flex w-full items-center gap-1 ${isOutbound ? "flex-row-reverse" : ""}`}>
        <div
          className={`relative max-w-[85%] rounded-xl px-2.5 pt-1.5 pb-1.5 text-[14.5px] leading-snug text-zinc-900 shadow-[0_1px_0.5px_rgba(0,0,0,0.08)] sm:max-w-[70%] ${
            !isOutbound
              ? "rounded-tl-sm bg-white"
              : message.origin === "phone"
                ? "rounded-tr-sm border-r-4 border-sky-700 bg-bubble-phone"
                : "rounded-tr-sm bg-bubble-out"
          } ${message.status === "failed" ? "ring-1 ring-red-300" : ""}`}
        >
          {message.replyToWamid && !isDeleted ? <QuoteBlock message={message} context={context} /> : null}
          <div className="break-words whitespace-pre-wrap">
            {isDeleted ? (
              <DeletedBody message={message} onboardedAt={context.onboardedAt} />
            ) : (
              <MessageBody message={message} onboardedAt={context.onboardedAt} />
            )}
            {/* Reserves room on the last line for the time and ticks, drawn on top of it. */}
            <span className={`inline-block ${metaWidth(isOutbound, isEdited)}`} aria-hidden="true" />
          </div>
          <span className="absolute right-2 bottom-1 flex items-center gap-1 text-[11px] leading-none text-zinc-600">
            {isEdited ? (
              <button
                type="button"
                aria-expanded={isShowingVersions}
                aria-controls={versionsId}
                title={`Edited ${formatFullDate(message.editedAt as string)}: show earlier versions`}
                onClick={() => setShowingVersions((open) => !open)}
                className="rounded px-0.5 underline decoration-zinc-400 decoration-dotted underline-offset-2 hover:text-zinc-800"
              >
                edited
              </button>
            ) : null}
            <time dateTime={message.sentAt} title={formatFullDate(message.sentAt)} className="tabular-nums">
              {formatClock(message.sentAt)}
            </time>
            {isOutbound ? <StatusTick status={message.status} /> : null}
          </span>
        </div>
        {message.wamid && !isDeleted ? (
          <button
            type="button"
            onClick={() => context.onReply(message)}
            aria-label="Reply to this message"
            title="Reply"
            className="inline-flex size-7 shrink-0 items-center justify-center rounded-full text-zinc-500 opacity-0 group-hover/bubble:opacity-100 hover:bg-white/80 hover:text-zinc-800 focus-visible:opacity-100"
          >
            <ReplyIcon className="size-4" />
          </button>
        ) : null}
        {message.wamid && !isDeleted && message.type !== "reaction" ? <ReactionPicker message={message} /> : null}
      </div>
      {isEdited ? <EditHistory id={versionsId} message={message} isOpen={isShowingVersions} /> : null}
      <Reactions message={message} customerName={context.customerName} />
      <AuthorLine message={message} />
      {message.status === "failed" ? <MessageFailure message={message} /> : null}
      {message.status === "unconfirmed" ? <MessageConfirming /> : null}
    </div>
  );
});
