"use client";

import { Fragment, type ReactNode } from "react";
import {
  DownloadIcon,
  FileIcon,
  ImageIcon,
  MapPinIcon,
  MicIcon,
  MusicIcon,
  StickerIcon,
  UserIcon,
  VideoIcon,
} from "@/components/ui/icons";
import { formatBytes, formatClock } from "@/lib/client/format";
import type { MessageDto } from "@/lib/client/types";
import { WhatsAppText } from "@/lib/client/whatsapp-format";
import { MESSAGE_TYPE_LABELS } from "@/lib/whatsapp/message-types";

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json | null =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : null;
const asString = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);
const asNumber = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : null);
const asArray = (value: unknown) => (Array.isArray(value) ? (value as unknown[]) : []);

/** The type-specific object, stored as `{ [type]: {...} }` by every path that records messages. */
export function payloadOf(message: Pick<MessageDto, "content" | "type">) {
  return asObject(asObject(message.content)?.[message.type]);
}

/** WhatsApp's placeholder for a message it could not show yet (coexistence, first contact): error 131060. */
export function isNotYetAvailable(message: Pick<MessageDto, "content" | "type">) {
  const errors = asArray(asObject(message.content)?.errors);
  return message.type === "unsupported" && errors.some((e) => asObject(e)?.code === 131060);
}

/** What a message is, in a word, when it has no text (quotes, placeholders). */
export const describeType = (type: string) => MESSAGE_TYPE_LABELS[type] ?? `${type.replace(/_/g, " ")} message`;

const URL_PATTERN = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]])/g;

/** Message text with its links clickable; everything else stays plain text. */
/** Message text with links made clickable and WhatsApp's *bold*, _italic_, ~strike~ and `code` rendered. */
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
          <Fragment key={i}>
            <WhatsAppText text={part} />
          </Fragment>
        ),
      )}
    </>
  );
}

const cardClass = "mb-1 block min-w-56 max-w-full rounded-md bg-black/[0.04] whitespace-normal";

/** A file or object that is not shown inline: an icon, a name and one line about it. */
function Attachment({
  icon,
  label,
  detail,
  title,
  isBusy = false,
  extra,
}: {
  icon: ReactNode;
  label: string;
  detail?: ReactNode;
  title?: string;
  isBusy?: boolean;
  extra?: ReactNode;
}) {
  return (
    <span className={`${cardClass} flex items-center gap-2.5 px-2.5 py-2`} title={title}>
      <span className="text-zinc-600">{icon}</span>
      <span className="min-w-0 flex-1">
        <span className="block truncate text-sm font-medium text-zinc-800">{label}</span>
        {detail ? (
          <span className="flex items-center gap-1.5 text-xs text-zinc-600">
            {isBusy ? (
              <span
                className="size-3 shrink-0 animate-spin rounded-full border-2 border-zinc-300 border-t-zinc-500"
                aria-hidden="true"
              />
            ) : null}
            <span className="line-clamp-2">{detail}</span>
          </span>
        ) : null}
      </span>
      {extra}
    </span>
  );
}

function mediaIcon(type: string, isVoice: boolean) {
  const className = "size-5";
  if (type === "image") return <ImageIcon className={className} />;
  if (type === "video") return <VideoIcon className={className} />;
  if (type === "audio") return isVoice ? <MicIcon className={className} /> : <MusicIcon className={className} />;
  if (type === "sticker") return <StickerIcon className={className} />;
  return <FileIcon className={className} />;
}

/** `PDF · 820 KB` from the file name (or MIME type) and size. */
function describeFile(fileName: string | null, mimeType: string | null, byteSize: number | null) {
  const extension = fileName?.includes(".") ? fileName.split(".").pop()?.toUpperCase() : null;
  const kind = extension ?? mimeType?.split("/").pop()?.split(";")[0]?.toUpperCase() ?? null;
  return [kind, formatBytes(byteSize)].filter(Boolean).join(" · ");
}

/** A stored file is shown inline; otherwise a placeholder says where it is. */
function Media({ message, payload, caption }: { message: MessageDto; payload: Json | null; caption: string | null }) {
  const media = message.media?.id ? message.media : null;
  const isVoice = message.type === "audio" && payload?.voice === true;
  const label = isVoice ? "Voice message" : describeType(message.type);
  const fileName = media?.fileName ?? asString(payload?.filename);
  const icon = mediaIcon(message.type, isVoice);

  if (media?.state === "stored") {
    const src = `/api/media/${media.id}`;
    switch (message.type) {
      case "image":
        return (
          <a href={src} target="_blank" rel="noopener noreferrer" className="mb-1 block overflow-hidden rounded-md">
            {/* biome-ignore lint/performance/noImgElement: private, authenticated media; next/image would proxy it */}
            <img
              src={src}
              alt={caption ? `${label}: ${caption}` : label}
              loading="lazy"
              // A fixed box: a thumbnail loading late must not push the thread.
              className="h-52 w-64 max-w-full bg-zinc-200 object-cover transition-opacity hover:opacity-90"
            />
            <span className="sr-only"> (opens full size in a new tab)</span>
          </a>
        );
      case "sticker":
        return (
          // biome-ignore lint/performance/noImgElement: private, authenticated media; next/image would proxy it
          <img src={src} alt="Sticker" loading="lazy" className="mb-1 block size-32 object-contain" />
        );
      case "video":
        return (
          // biome-ignore lint/a11y/useMediaCaption: customers' videos come without captions
          <video
            src={src}
            controls
            preload="metadata"
            title={fileName ?? label}
            className="mb-1 block aspect-video w-72 max-w-full rounded-md bg-black"
          />
        );
      case "audio":
        return (
          <span className="mb-1 block w-72 max-w-full whitespace-normal">
            <span className="mb-1 flex items-center gap-1.5 text-xs font-medium text-zinc-600">
              {icon}
              {isVoice ? "Voice message" : (fileName ?? label)}
            </span>
            {/* biome-ignore lint/a11y/useMediaCaption: customers' voice notes come without captions */}
            <audio
              src={src}
              controls
              preload="metadata"
              title={isVoice ? "Voice message" : label}
              className="block h-10 w-full"
            />
          </span>
        );
      default:
        return (
          <Attachment
            icon={icon}
            label={fileName ?? label}
            detail={describeFile(fileName, media.mimeType, media.byteSize) || null}
            extra={
              <a
                href={src}
                download={fileName ?? ""}
                className="inline-flex size-9 shrink-0 items-center justify-center rounded-full text-zinc-600 hover:bg-black/[0.06] hover:text-zinc-900"
              >
                <DownloadIcon className="size-5" />
                <span className="sr-only">Download {fileName ?? label}</span>
              </a>
            }
          />
        );
    }
  }

  if (media?.state === "pending") {
    return <Attachment icon={icon} label={fileName ?? label} detail="Downloading from WhatsApp…" isBusy />;
  }
  if (media?.state === "retrying") {
    return (
      <Attachment
        icon={icon}
        label={fileName ?? label}
        title={media.error ?? undefined}
        detail={`Download failed, retrying${media.nextAttemptAt ? ` at ${formatClock(media.nextAttemptAt)}` : ""}…`}
        isBusy
      />
    );
  }
  if (media?.state === "failed") {
    return (
      <Attachment
        icon={icon}
        label={fileName ?? label}
        title={media.error ?? undefined}
        detail={
          <>
            <span className="text-red-700">Could not download this file</span>
            {media.error ? <span className="sr-only">: {media.error}</span> : null}
          </>
        }
      />
    );
  }
  if (media?.state === "unavailable") {
    return <Attachment icon={icon} label={fileName ?? label} detail="WhatsApp no longer has this file" />;
  }
  return <Attachment icon={icon} label={fileName ?? label} detail="WhatsApp did not include this file" />;
}

/** WhatsApp shares the media of imported history only for its last 14 days before onboarding. */
const HISTORY_MEDIA_DAYS = 14;

function MediaPlaceholder({ message, onboardedAt }: { message: MessageDto; onboardedAt: string | null }) {
  const limit = onboardedAt ? new Date(onboardedAt).getTime() - HISTORY_MEDIA_DAYS * 86_400_000 : null;
  const isTooOld = limit !== null && new Date(message.sentAt).getTime() < limit;
  return (
    <Attachment
      icon={<ImageIcon className="size-5" />}
      label="Media"
      detail={isTooOld ? "WhatsApp did not share this media (older than 14 days)" : "Waiting for WhatsApp to share this media…"}
      isBusy={!isTooOld}
    />
  );
}

function Location({ payload }: { payload: Json | null }) {
  const lat = asNumber(payload?.latitude);
  const lon = asNumber(payload?.longitude);
  const name = asString(payload?.name);
  const address = asString(payload?.address);
  const hasPoint = lat !== null && lon !== null;
  return (
    <span className={`${cardClass} overflow-hidden`}>
      <span className="flex gap-2.5 px-2.5 py-2">
        <MapPinIcon className="mt-0.5 size-5 shrink-0 text-red-600" />
        <span className="min-w-0">
          <span className="block text-sm font-medium text-zinc-800">{name ?? (address ? address : "Location")}</span>
          {name && address ? <span className="block text-xs text-zinc-600">{address}</span> : null}
          {hasPoint ? (
            <span className="block text-xs text-zinc-600 tabular-nums">
              {lat.toFixed(5)}, {lon.toFixed(5)}
            </span>
          ) : null}
        </span>
      </span>
      {hasPoint ? (
        <a
          href={`https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`}
          target="_blank"
          rel="noopener noreferrer"
          className="block border-t border-black/[0.06] px-2.5 py-1.5 text-center text-sm font-medium text-emerald-800 hover:bg-black/[0.03]"
        >
          Open map<span className="sr-only"> (OpenStreetMap, opens in a new tab)</span>
        </a>
      ) : null}
    </span>
  );
}

/** Shared contact cards (`contacts[]`): name, organisation, phone numbers and emails. */
function ContactCards({ message }: { message: MessageDto }) {
  const cards = asArray(asObject(message.content)?.contacts)
    .map(asObject)
    .filter((c): c is Json => c !== null);
  if (cards.length === 0)
    return <Attachment icon={<UserIcon className="size-5" />} label="Contact card" detail="No details shared" />;
  return (
    <span className="mb-1 block space-y-1.5 whitespace-normal">
      {cards.map((card, i) => {
        const name = asObject(card.name);
        const fullName =
          asString(name?.formatted_name) ??
          ([asString(name?.first_name), asString(name?.last_name)].filter(Boolean).join(" ") || "Contact");
        const org = asString(asObject(card.org)?.company);
        const phones = asArray(card.phones).map(asObject);
        const emails = asArray(card.emails).map(asObject);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: the cards of one message never reorder
          <span key={i} className={`${cardClass} px-2.5 py-2`}>
            <span className="flex items-center gap-2">
              <span className="inline-flex size-8 shrink-0 items-center justify-center rounded-full bg-zinc-200 text-zinc-600">
                <UserIcon className="size-4" />
              </span>
              <span className="min-w-0">
                <span className="block truncate text-sm font-medium text-zinc-900">{fullName}</span>
                {org ? <span className="block truncate text-xs text-zinc-600">{org}</span> : null}
              </span>
            </span>
            {phones.length + emails.length > 0 ? (
              <span className="mt-1.5 block space-y-0.5 border-t border-black/[0.06] pt-1.5 text-sm">
                {phones.map((phone, j) => {
                  const number = asString(phone?.phone) ?? asString(phone?.wa_id);
                  if (!number) return null;
                  const kind = asString(phone?.type)?.toLowerCase();
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the numbers of one card never reorder
                    <span key={j} className="flex items-baseline gap-2">
                      <a href={`tel:${number.replace(/[^\d+]/g, "")}`} className="text-emerald-800 hover:underline">
                        {number}
                      </a>
                      {kind ? <span className="text-xs text-zinc-600">{kind}</span> : null}
                      {asString(phone?.wa_id) ? <span className="text-xs text-zinc-600">· on WhatsApp</span> : null}
                    </span>
                  );
                })}
                {emails.map((email, j) => {
                  const address = asString(email?.email);
                  return address ? (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the emails of one card never reorder
                    <a key={j} href={`mailto:${address}`} className="block truncate text-emerald-800 hover:underline">
                      {address}
                    </a>
                  ) : null;
                })}
              </span>
            ) : null}
          </span>
        );
      })}
    </span>
  );
}

function ReplyLabel({ children }: { children: ReactNode }) {
  return (
    <span className="mb-0.5 inline-block rounded bg-black/[0.06] px-1.5 py-px text-[11px] font-medium text-zinc-600">
      {children}
    </span>
  );
}

/** The chosen button or list row of an interactive message, or what the business sent. */
function Interactive({ payload, text }: { payload: Json | null; text: ReactNode }) {
  const button = asObject(payload?.button_reply);
  const list = asObject(payload?.list_reply);
  const form = asObject(payload?.nfm_reply);
  const reply = button ?? list ?? form;
  if (reply) {
    const title = asString(reply.title) ?? asString(reply.body) ?? asString(reply.name);
    return (
      <>
        <ReplyLabel>{button ? "Button reply" : list ? "List reply" : "Form reply"}</ReplyLabel>
        <span className="block">{title ?? text ?? "(no title)"}</span>
        {list && asString(list.description) ? (
          <span className="block text-xs text-zinc-600">{asString(list.description)}</span>
        ) : null}
      </>
    );
  }
  const body = asString(asObject(payload?.body)?.text);
  return (
    <>
      <ReplyLabel>Interactive message</ReplyLabel>
      <span className="block">{body ?? text ?? "Buttons or a list WhatsApp did not describe"}</span>
    </>
  );
}

/** What the bubble shows for a message, by type. Nothing is dropped: unknown types say what they are. */
export function MessageBody({ message, onboardedAt }: { message: MessageDto; onboardedAt: string | null }) {
  const payload = payloadOf(message);
  const body = message.editedBody ?? message.body;
  const text = body ? <RichText text={body} /> : null;

  switch (message.type) {
    case "text":
      return text ?? <span className="text-zinc-600 italic">Empty message</span>;
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker":
      return (
        <>
          <Media message={message} payload={payload} caption={body} />
          {text}
        </>
      );
    case "media_placeholder":
      return <MediaPlaceholder message={message} onboardedAt={onboardedAt} />;
    case "location":
      return <Location payload={payload} />;
    case "contacts":
      return <ContactCards message={message} />;
    case "reaction": {
      const emoji = asString(payload?.emoji);
      return <span className="text-zinc-600">{emoji ? `Reacted ${emoji} to a message` : "Removed a reaction"}</span>;
    }
    case "interactive":
      return <Interactive payload={payload} text={text} />;
    case "button":
      return (
        <>
          <ReplyLabel>Button reply</ReplyLabel>
          <span className="block">{asString(payload?.text) ?? text ?? "(no text)"}</span>
        </>
      );
    case "template":
      return text ?? <span className="text-zinc-600">Template message</span>;
    case "unsupported": {
      const kind = asString(payload?.type);
      return (
        <span className="text-zinc-600 italic">
          {`Unsupported message type${kind ? ` (${kind})` : ""} — see it in the WhatsApp Business app`}
        </span>
      );
    }
    default:
      return (
        <>
          <span className="block text-zinc-600 italic">{`Unsupported message (${message.type})`}</span>
          {text}
        </>
      );
  }
}
