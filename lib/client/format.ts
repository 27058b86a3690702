import { sendErrors } from "@/lib/whatsapp/send-errors";
import type { ConversationDto, MessageDto, NameSource, NumberDto, NumberState } from "./types";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const startOfDay = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
/** Whole calendar days between two instants in the browser's time zone (0 = same day). */
const calendarDaysBetween = (earlier: Date, later: Date) => Math.round((startOfDay(later) - startOfDay(earlier)) / DAY);

/**
 * Formatters in the browser's locale, made once: `toLocaleString` with options builds a new one on
 * every call, about 100 times the cost of formatting, and a list or a thread formats on every row.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(options: Intl.DateTimeFormatOptions) {
  const key = JSON.stringify(options);
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat(undefined, options);
    formatters.set(key, made);
  }
  return made;
}
const format = (date: Date, options: Intl.DateTimeFormatOptions) => formatter(options).format(date);

/** `14:05`: the time of a message. */
export function formatClock(iso: string) {
  return format(new Date(iso), { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

/** Full date and time for tooltips. */
export function formatFullDate(iso: string) {
  return format(new Date(iso), { dateStyle: "full", timeStyle: "short" });
}

/** The time in the conversation list: `now`, `12 min`, `14:05`, `Yesterday`, `Mon`, `3 Mar`, `3 Mar 2024`. */
export function formatListTime(iso: string, now: Date) {
  const date = new Date(iso);
  const ago = now.getTime() - date.getTime();
  if (ago < MINUTE) return "now";
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min`;
  const days = calendarDaysBetween(date, now);
  if (days <= 0) return formatClock(iso);
  if (days === 1) return "Yesterday";
  if (days < 7) return format(date, { weekday: "short" });
  if (date.getFullYear() === now.getFullYear()) return format(date, { day: "numeric", month: "short" });
  return format(date, { day: "numeric", month: "short", year: "numeric" });
}

/** The label of a day separator in a thread. */
export function formatDayLabel(iso: string, now: Date) {
  const date = new Date(iso);
  const days = calendarDaysBetween(date, now);
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  return format(date, {
    weekday: "long",
    day: "numeric",
    month: "long",
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: "numeric" }),
  });
}

export const dayKey = (iso: string) => {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
};

/** `23 h 12 min`, `12 min`, `less than a minute`. */
export function formatDuration(ms: number) {
  if (ms < MINUTE) return "less than a minute";
  const hours = Math.floor(ms / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  if (hours === 0) return `${minutes} min`;
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

/** How long ago, coarse: `12 min`, `31 h`, `3 days`. */
export function formatAgo(ms: number) {
  if (ms < HOUR) return `${Math.max(1, Math.floor(ms / MINUTE))} min`;
  if (ms < 48 * HOUR) return `${Math.floor(ms / HOUR)} h`;
  const days = Math.floor(ms / DAY);
  return `${days} days`;
}

export type WindowState =
  | { isOpen: true; tone: "open" | "closing"; chip: string; summary: string }
  | { isOpen: false; tone: "closed"; chip: string; summary: string; reason: string };

/**
 * WhatsApp's 24-hour customer-service window in plain words. `windowExpiresAt` is null when the
 * customer has not written since the number was connected (history and phone echoes never count).
 */
export function describeWindow(
  conversation: Pick<ConversationDto, "windowExpiresAt" | "lastCustomerMessageAt"> & { windowClosedAt?: string | null },
  now: Date,
): WindowState {
  if (!conversation.windowExpiresAt) {
    return {
      isOpen: false,
      tone: "closed",
      chip: "Window closed",
      summary: "Window closed: the customer has not written since this number was connected",
      reason: "The customer has not written since this number was connected.",
    };
  }
  const left = new Date(conversation.windowExpiresAt).getTime() - now.getTime();
  if (conversation.windowClosedAt && conversation.windowClosedAt === conversation.windowExpiresAt && left <= 0) {
    return {
      isOpen: false,
      tone: "closed",
      chip: "Window closed",
      summary: "Window closed: WhatsApp refused free text (131047)",
      reason: "WhatsApp reported the window closed (131047) although the customer wrote less than a day ago.",
    };
  }
  // The server refuses free text in the last two minutes: a queued message could arrive too late.
  if (left > 0 && left <= 2 * MINUTE) {
    return {
      isOpen: false,
      tone: "closed",
      chip: "Window closing",
      summary: "Window closes in less than two minutes: only templates now",
      reason: "The window closes in less than two minutes, too soon for free text to arrive safely.",
    };
  }
  if (left <= 0) {
    const lastWrote = conversation.lastCustomerMessageAt
      ? new Date(conversation.lastCustomerMessageAt).getTime()
      : new Date(conversation.windowExpiresAt).getTime() - DAY;
    const ago = formatAgo(now.getTime() - lastWrote);
    return {
      isOpen: false,
      tone: "closed",
      chip: "Window closed",
      summary: `Window closed: the customer last wrote ${ago} ago`,
      reason: `The customer last wrote ${ago} ago.`,
    };
  }
  const chip = left >= HOUR ? `${Math.floor(left / HOUR)}h left` : `${Math.max(1, Math.floor(left / MINUTE))}m left`;
  return {
    isOpen: true,
    // Warn in the last hour.
    tone: left < HOUR ? "closing" : "open",
    chip,
    summary: `Window open · closes in ${formatDuration(left)}`,
  };
}

/** What an agent should understand, and do, when WhatsApp refuses a message: Meta's code decides. */
export function explainSendError(error: NonNullable<MessageDto["error"]>) {
  const known = sendErrors[error.code];
  if (known) return { sentence: known.sentence, action: known.action };
  return {
    sentence: error.title ?? "WhatsApp did not deliver this message.",
    action: error.details ?? error.message ?? "Retry it, or discard it.",
  };
}

/** A number's lifecycle state as shown next to it, and whether agents can send from it. */
export const numberStateLabel: Record<NumberState, { label: string; canSend: boolean; notice: string }> = {
  connected: { label: "Connected", canSend: true, notice: "" },
  offboarded: {
    label: "Sends paused",
    canSend: false,
    notice: "Sends paused: the business re-registered WhatsApp on a phone. Tandem resumes when Meta reconnects the number.",
  },
  disconnected: {
    label: "Disconnected",
    canSend: false,
    notice: "Disconnected from the WhatsApp Business app. This number is read-only.",
  },
  uninstalled: {
    label: "Access removed",
    canSend: false,
    notice: "The business removed Tandem's access. This number is read-only.",
  },
  // Meta may refuse some sends (limits, policy); Tandem keeps trying, so agents keep the composer.
  restricted: {
    label: "Restricted",
    canSend: true,
    notice: "Meta restricted this number: some messages may be refused. Check its status in WhatsApp Manager.",
  },
  deleted: {
    label: "Deleted",
    canSend: false,
    notice: "This number was deleted from the WhatsApp Business account. This number is read-only.",
  },
};

/**
 * Why a coexistence number was disconnected (`disconnection_info.reason` of PARTNER_REMOVED).
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/account_update
 */
const disconnectionReasons: Record<string, string> = {
  ACCOUNT_DISCONNECTED: "the account was disconnected",
  BUSINESS_DOWNGRADE: "the number moved to the consumer WhatsApp app",
  CHANGE_NUMBER: "the business changed its number",
  COMPANION_INACTIVITY: "linked devices were inactive for about 30 days",
  PRIMARY_INACTIVITY: "the phone was inactive for about 14 days",
  USER_RE_REGISTERED: "the number was registered again",
};
const initiators: Record<string, string> = { USER: "the business", SYSTEM: "WhatsApp" };

export function describeDisconnection(reason: string | null, initiatedBy: string | null) {
  const why = reason ? (disconnectionReasons[reason] ?? reason.toLowerCase().replace(/_/g, " ")) : null;
  const who = initiatedBy ? (initiators[initiatedBy] ?? initiatedBy.toLowerCase()) : null;
  return [why, who ? `by ${who}` : null].filter(Boolean).join(", ");
}

/** `12 Mar 2025, 15:30` (or `15:30:07` with seconds): when a lifecycle or webhook event happened. */
export function formatDateTime(iso: string, options: { withSeconds?: boolean } = {}) {
  return format(new Date(iso), {
    dateStyle: "medium",
    timeStyle: options.withSeconds ? "medium" : "short",
    hourCycle: "h23",
  });
}

export type NumberNotice = { tone: "warning" | "blocked"; canSend: boolean; text: string };

/** The banner above a conversation of a number that is not connected, in plain words and with the time. */
export function describeNumberNotice(
  number: Pick<NumberDto, "state" | "stateChangedAt" | "disconnectionReason" | "disconnectionInitiatedBy"> & {
    tokenInvalidAt?: string | null;
  },
): NumberNotice | null {
  const state = numberStateLabel[number.state];
  const at = number.stateChangedAt ? formatDateTime(number.stateChangedAt) : null;
  switch (number.state) {
    case "connected":
      // 190: replies still queue, and leave once an admin reconnects the number with a new token.
      if (number.tokenInvalidAt)
        return {
          tone: "warning",
          canSend: true,
          text: `Reconnect needed: WhatsApp rejected this number's access token on ${formatDateTime(number.tokenInvalidAt)}. Sends and media downloads are paused until an admin reconnects it; queued replies wait.`,
        };
      return null;
    case "disconnected": {
      const detail = describeDisconnection(number.disconnectionReason, number.disconnectionInitiatedBy);
      return {
        tone: "blocked",
        canSend: false,
        text: `Disconnected from the WhatsApp Business app${detail ? ` (${detail})` : ""}${at ? ` on ${at}` : ""}. This number is read-only.`,
      };
    }
    case "restricted":
      return { tone: "warning", canSend: true, text: `${state.notice}${at ? ` Since ${at}.` : ""}` };
    // Temporary: Meta reconnects the number by itself once the phone is set up again.
    case "offboarded":
      return { tone: "warning", canSend: false, text: `${state.notice}${at ? ` Since ${at}.` : ""}` };
    default:
      return { tone: "blocked", canSend: false, text: `${state.notice}${at ? ` Since ${at}.` : ""}` };
  }
}

const count = new Intl.NumberFormat("en");
export const formatCount = (n: number) => count.format(n);
const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** No chunk for this long while importing: say so rather than look busy forever (HISTORY_STALE_MINUTES). */
const HISTORY_STALE_MS = 60 * MINUTE;

/** One line about a number's history sync for the nav pane; null when none has started. */
export function describeHistory(
  history: NumberDto["history"],
  now: Date,
  staleAfterMs = HISTORY_STALE_MS,
): { text: string; tone: "muted" | "busy" | "bad" } | null {
  if (!history?.state) return null;
  const messages = plural(history.messagesImported ?? 0, "message", "messages");
  const last = history.lastEventAt ? new Date(history.lastEventAt).getTime() : null;
  const isQuiet = last !== null && now.getTime() - last > staleAfterMs;
  switch (history.state) {
    case "requested":
      if (isQuiet) return { text: `History: requested, nothing for ${formatAgo(now.getTime() - last!)}`, tone: "bad" };
      return { text: "History: requested, waiting for WhatsApp", tone: "busy" };
    case "receiving": {
      const progress = Math.min(99, Math.floor(history.maxProgress ?? 0));
      if (isQuiet && last !== null) {
        return { text: `History: stalled at ${progress}% · nothing for ${formatAgo(now.getTime() - last)}`, tone: "bad" };
      }
      return { text: `History: importing ${progress}% · ${messages}`, tone: "busy" };
    }
    case "complete":
      return {
        text: `History imported · ${messages} in ${plural(history.conversationsImported ?? 0, "conversation", "conversations")}, in Resolved`,
        tone: "muted",
      };
    case "declined":
      return { text: "History not shared by the business", tone: "muted" };
    case "failed":
      return { text: `History sync failed${history.error?.code ? ` (code ${history.error.code})` : ""}`, tone: "bad" };
  }
}

/** `820 KB`, `1.4 MB`. */
export function formatBytes(bytes: number | null | undefined) {
  if (!bytes) return null;
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Where a contact's shown name comes from (name precedence: agent, address book, profile, number). */
export const nameSourceLabel: Record<NameSource, string> = {
  agent: "Edited by an agent",
  address_book: "From the phone's address book",
  profile: "WhatsApp profile name",
  number: "Phone number only",
};

/** `+16505551234` for a WhatsApp id made of digits; anything else unchanged. */
export function formatPhone(value: string | null | undefined) {
  if (!value) return "";
  return /^\d{6,}$/.test(value) ? `+${value}` : value;
}

// Letters of the scripts written right to left: Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan,
// Mandaic, and the Hebrew and Arabic presentation forms.
const RIGHT_TO_LEFT_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;

/** The direction a text reads in, from its first letter, as `dir="auto"` decides it. */
export function textDirection(text: string): "ltr" | "rtl" {
  const first = text.match(/\p{L}/u)?.[0];
  return first && RIGHT_TO_LEFT_LETTER.test(first) ? "rtl" : "ltr";
}

export function initialsOf(name: string) {
  const letters = name
    .replace(/[^\p{L}\p{N}\s]/gu, "")
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? "");
  return letters.join("") || "#";
}

/** The name an agent sees for a conversation's contact (a bare number formatted as one). */
export function contactName(conversation: Pick<ConversationDto, "contact">) {
  return formatPhone(conversation.contact.displayName);
}
