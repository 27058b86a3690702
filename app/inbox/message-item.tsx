"use client";

import { Fragment, type ReactNode } from "react";
import {
  AlertIcon,
  CheckIcon,
  ClockIcon,
  DoubleCheckIcon,
  FileIcon,
  MapPinIcon,
  PhoneIcon,
  UserIcon,
} from "@/components/ui/icons";
import { explainSendError, formatClock, formatFullDate } from "@/lib/client/format";
import type { MessageDto, MessageStatus } from "@/lib/client/types";

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json | null =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : null;
const asString = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);

/** The type-specific object, stored as `{ [type]: {...} }` by every path that records messages. */
function payloadOf(message: MessageDto) {
  return asObject(asObject(message.content)?.[message.type]);
}

const URL_PATTERN = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]])/g;

/** Message text with its links clickable; everything else stays plain text. */
export function RichText({ text }: { text: string }) {
  const parts = text.split(URL_PATTERN);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <a
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one string never reorder
            key={i}
            href={part}
            target="_blank"
            rel="noopener noreferrer nofollow"
            className="break-all text-emerald-800 underline underline-offset-2"
          >
            {part}
          </a>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one string never reorder
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}

function Attachment({ icon, label, detail }: { icon: ReactNode; label: string; detail?: string | null }) {
  return (
    <span className="mb-1 flex min-w-52 items-center gap-2.5 rounded-md bg-black/[0.04] px-2.5 py-2">
      <span className="text-zinc-500">{icon}</span>
      <span className="min-w-0">
        <span className="block truncate text-sm font-medium text-zinc-800">{label}</span>
        {detail ? <span className="line-clamp-2 block text-xs text-zinc-500">{detail}</span> : null}
      </span>
    </span>
  );
}

/** A stored file is shown inline; otherwise a placeholder says why it is not there. */
function Media({ message, label, fileName }: { message: MessageDto; label: string; fileName: string | null }) {
  const media = message.media;
  if (media?.state === "stored") {
    const src = `/api/media/${media.id}`;
    if (message.type === "image" || message.type === "sticker") {
      return (
        <a href={src} target="_blank" rel="noopener noreferrer" className="mb-1 block">
          {/* biome-ignore lint/performance/noImgElement: private, authenticated media; next/image would proxy it */}
          <img
            src={src}
            alt={message.body ? `${label}: ${message.body}` : label}
            loading="lazy"
            className={`rounded-md object-cover ${message.type === "sticker" ? "size-32 bg-transparent" : "max-h-80 w-full min-w-40 bg-zinc-100"}`}
          />
        </a>
      );
    }
    if (message.type === "video") {
      // biome-ignore lint/a11y/useMediaCaption: customers' videos come without captions
      return <video src={src} controls preload="metadata" className="mb-1 max-h-80 w-full rounded-md bg-black" />;
    }
    if (message.type === "audio") {
      // biome-ignore lint/a11y/useMediaCaption: customers' voice notes come without captions
      return <audio src={src} controls preload="metadata" className="mb-1 w-64 max-w-full" aria-label={label} />;
    }
    return (
      <a href={src} target="_blank" rel="noopener noreferrer" className="block hover:opacity-80">
        <Attachment icon={<FileIcon className="size-5" />} label={fileName ?? label} detail={describeSize(media.byteSize)} />
      </a>
    );
  }
  const detail =
    media?.state === "pending"
      ? "Downloading from WhatsApp…"
      : media?.state === "failed"
        ? `Could not be downloaded from WhatsApp${media.error ? `: ${media.error}` : ""}`
        : media?.state === "unavailable"
          ? "WhatsApp did not share this file"
          : message.origin === "history"
            ? "WhatsApp only shares media of the last 14 days of history"
            : "The file is not available in Tandem";
  return <Attachment icon={<FileIcon className="size-5" />} label={fileName ?? label} detail={detail} />;
}

function describeSize(bytes: number | null) {
  if (!bytes) return null;
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const mediaLabels: Record<string, string> = {
  image: "Photo",
  video: "Video",
  audio: "Audio",
  document: "Document",
  sticker: "Sticker",
};

/** What the bubble shows above the caption or text, for messages that are not plain text. */
function MessageBody({ message }: { message: MessageDto }) {
  const payload = payloadOf(message);
  const body = message.editedBody ?? message.body;
  const text = body ? <RichText text={body} /> : null;

  switch (message.type) {
    case "text":
      return text ?? <span className="text-zinc-500 italic">Empty message</span>;
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker": {
      const isVoice = message.type === "audio" && payload?.voice === true;
      const label = isVoice ? "Voice message" : (mediaLabels[message.type] ?? "Media");
      return (
        <>
          <Media message={message} label={label} fileName={message.media?.fileName ?? asString(payload?.filename)} />
          {text}
        </>
      );
    }
    case "media_placeholder":
      return (
        <Attachment
          icon={<FileIcon className="size-5" />}
          label="Media"
          detail="WhatsApp did not share this file with the imported history"
        />
      );
    case "location": {
      const lat = payload?.latitude;
      const lon = payload?.longitude;
      const place = [asString(payload?.name), asString(payload?.address)].filter(Boolean).join(" · ");
      return (
        <>
          <Attachment icon={<MapPinIcon className="size-5" />} label="Location" detail={place || null} />
          {typeof lat === "number" && typeof lon === "number" ? (
            <a
              href={`https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`}
              target="_blank"
              rel="noopener noreferrer"
              className="text-sm text-emerald-800 underline underline-offset-2"
            >
              Open map
            </a>
          ) : null}
        </>
      );
    }
    case "contacts": {
      const cards = Array.isArray(asObject(message.content)?.contacts) ? (asObject(message.content)?.contacts as unknown[]) : [];
      const names = cards.map((c) => asString(asObject(asObject(c)?.name)?.formatted_name)).filter(Boolean);
      return <Attachment icon={<UserIcon className="size-5" />} label="Contact card" detail={names.join(", ") || null} />;
    }
    case "reaction": {
      const emoji = asString(payload?.emoji);
      return <span className="text-zinc-600">{emoji ? `Reacted ${emoji} to a message` : "Removed a reaction"}</span>;
    }
    case "interactive": {
      const reply = asObject(payload?.button_reply) ?? asObject(payload?.list_reply);
      return text ?? <span>{asString(reply?.title) ?? "Replied to an interactive message"}</span>;
    }
    case "button":
      return text ?? <span>{asString(payload?.text) ?? "Tapped a template button"}</span>;
    case "template":
      return text ?? <span className="text-zinc-600">Template message</span>;
    case "unsupported": {
      const errors = asObject(message.content)?.errors;
      const isUnavailable = Array.isArray(errors) && errors.some((e) => asObject(e)?.code === 131060);
      return (
        <span className="text-zinc-600 italic">
          {isUnavailable
            ? "This message is not available yet. WhatsApp usually delivers it within seconds; otherwise read it in the WhatsApp Business app."
            : "WhatsApp does not share this kind of message with Tandem. Read it in the WhatsApp Business app."}
        </span>
      );
    }
    default:
      return (
        text ?? (
          <span className="text-zinc-600 italic">{`A ${message.type.replace(/_/g, " ")} message Tandem cannot show yet.`}</span>
        )
      );
  }
}

const statusLabels: Record<MessageStatus, string> = {
  received: "received",
  queued: "queued",
  sent: "sent",
  delivered: "delivered",
  read: "read",
  played: "played",
  failed: "failed",
};

function StatusTick({ status }: { status: MessageStatus }) {
  const icon =
    status === "queued" ? (
      <ClockIcon className="size-3.5 text-zinc-500" />
    ) : status === "sent" ? (
      <CheckIcon className="size-3.5 text-zinc-500" />
    ) : status === "delivered" ? (
      <DoubleCheckIcon className="h-3.5 w-4 text-zinc-500" />
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

const PHONE_TOOLTIP = "Sent from the WhatsApp Business app on the phone. Meta does not say which person sent it.";

/** Who sent an outbound message. Phone echoes name the app, never a bot: Meta does not say who typed them. */
function AuthorLine({ message }: { message: MessageDto }) {
  const base = "mt-0.5 px-1 text-[11px] text-zinc-500";
  switch (message.origin) {
    case "phone":
      return (
        <p className={`${base} inline-flex cursor-help items-center gap-1`} title={PHONE_TOOLTIP}>
          <PhoneIcon className="size-3" />
          WhatsApp Business app
        </p>
      );
    case "history":
      return <p className={base}>Imported history</p>;
    case "template":
      return <p className={base}>{message.authorName ? `Template · ${message.authorName}` : "Template"}</p>;
    case "campaign":
      return <p className={base}>Campaign</p>;
    default:
      return <p className={base}>{message.authorName ?? "Former team member"}</p>;
  }
}

function QuotedMessage({ quoted }: { quoted: MessageDto["quoted"] }) {
  return (
    <span className="mb-1 block rounded-md border-l-4 border-emerald-500 bg-black/[0.04] px-2 py-1 text-xs text-zinc-600">
      {quoted ? (
        <>
          <span className="block font-medium text-emerald-800">{quoted.direction === "inbound" ? "Customer" : "Business"}</span>
          <span className="line-clamp-2">
            {quoted.deletedAt
              ? "This message was deleted"
              : (quoted.body ?? `${mediaLabels[quoted.type] ?? quoted.type.replace(/_/g, " ")} message`)}
          </span>
        </>
      ) : (
        "Reply to an earlier message that is not in Tandem"
      )}
    </span>
  );
}

type Reaction = { reactor: "customer" | "business"; emoji: string };

function Reactions({ message }: { message: MessageDto }) {
  const reactions = (message.reactions as Reaction[] | null) ?? [];
  if (reactions.length === 0) return null;
  const label = reactions.map((r) => `${r.emoji} from the ${r.reactor}`).join(", ");
  return (
    <span
      role="img"
      aria-label={`Reactions: ${label}`}
      title={label}
      className="relative z-[1] -mt-1.5 mx-2 inline-flex gap-0.5 rounded-full border border-zinc-200 bg-white px-1.5 py-px text-sm shadow-xs"
    >
      {reactions.map((r, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: reactions of one message keep their order
        <span key={i}>{r.emoji}</span>
      ))}
    </span>
  );
}

const metaWidth = (isOutbound: boolean, isEdited: boolean) =>
  isOutbound ? (isEdited ? "w-[6.75rem]" : "w-16") : isEdited ? "w-[5.25rem]" : "w-11";

export function MessageItem({ message }: { message: MessageDto }) {
  const isOutbound = message.direction === "outbound";
  const isDeleted = message.deletedAt !== null;
  const isEdited = !isDeleted && message.editedAt !== null;
  const error = message.status === "failed" ? message.error : null;
  const previousVersions = (message.editHistory ?? []).map((v) => v.body ?? "").filter(Boolean);
  return (
    <div className={`flex flex-col ${isOutbound ? "items-end" : "items-start"}`} data-message-id={message.id}>
      <div
        className={`relative max-w-[85%] rounded-xl px-2.5 pt-1.5 pb-1.5 text-[14.5px] leading-snug text-zinc-900 shadow-[0_1px_0.5px_rgba(0,0,0,0.08)] sm:max-w-[70%] ${
          isOutbound ? "rounded-tr-sm bg-bubble-out" : "rounded-tl-sm bg-white"
        } ${message.status === "failed" ? "ring-1 ring-red-300" : ""}`}
      >
        {message.replyToWamid && !isDeleted ? <QuotedMessage quoted={message.quoted} /> : null}
        <div className="break-words whitespace-pre-wrap">
          {isDeleted ? <span className="text-zinc-500 italic">This message was deleted</span> : <MessageBody message={message} />}
          {/* Reserves room on the last line for the time and ticks, drawn on top of it. */}
          <span className={`inline-block ${metaWidth(isOutbound, isEdited)}`} aria-hidden="true" />
        </div>
        <span className="absolute right-2 bottom-1 flex items-center gap-1 text-[11px] leading-none text-zinc-500">
          {isEdited ? (
            <span
              title={
                previousVersions.length > 0
                  ? `Edited ${formatFullDate(message.editedAt as string)}. Before: ${previousVersions.join(" → ")}`
                  : `Edited ${formatFullDate(message.editedAt as string)}`
              }
            >
              edited
            </span>
          ) : null}
          <time dateTime={message.sentAt} title={formatFullDate(message.sentAt)} className="tabular-nums">
            {formatClock(message.sentAt)}
          </time>
          {isOutbound ? <StatusTick status={message.status} /> : null}
        </span>
      </div>
      <Reactions message={message} />
      {isOutbound ? <AuthorLine message={message} /> : null}
      {message.status === "failed" ? (
        <div className="mt-0.5 max-w-[85%] px-1 text-right text-xs sm:max-w-[70%]">
          <p className="font-medium text-red-700">
            Failed{error?.title ? `: ${error.title}` : ""}
            {error?.code ? <span className="font-normal text-red-600/80"> ({error.code})</span> : null}
          </p>
          <p className="text-zinc-600">{error ? explainSendError(error) : "WhatsApp did not deliver this message."}</p>
        </div>
      ) : null}
    </div>
  );
}
