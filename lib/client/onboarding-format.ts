import { describeDisconnection, formatAgo, formatCount, formatDateTime, formatDuration } from "./format";
import type { NumberOverviewDto, NumberState } from "./types";

/** Meta accepts the sync requests only within 24 hours of onboarding (2593108). */
export const SYNC_WINDOW_MS = 24 * 60 * 60 * 1000;

const DISCONNECT_HOW =
  "the business disconnects the number in the WhatsApp Business app (Settings > Account > Business Platform) and connects it here again";

/** Meta's sync refusals in plain words, with what the admin can do. */
export function explainSyncFailure(kind: "contacts" | "history", code: number | null, message: string | null) {
  const what = kind === "contacts" ? "contacts" : "chat history";
  if (code === 2593107) {
    return `WhatsApp already had a ${what} request for this connection and accepts only one. To sync again, ${DISCONNECT_HOW}.`;
  }
  if (code === 2593108) {
    return `More than 24 hours passed since the number was connected, so WhatsApp no longer accepts a ${what} request. To sync, ${DISCONNECT_HOW}.`;
  }
  return `Meta refused the ${what} request${code ? ` (error ${code}${message ? `: ${message}` : ""})` : message ? `: ${message}` : ""}.`;
}

export const UNCERTAIN_TEXT =
  "Meta did not answer this request, so it may have been accepted. Tandem does not ask again: WhatsApp accepts one request per connection. Anything shared will still arrive.";

/** The 24-hour request window, counted from onboarding. */
export function describeSyncWindow(onboardedAt: string, now: Date) {
  const endsAt = new Date(onboardedAt).getTime() + SYNC_WINDOW_MS;
  const left = endsAt - now.getTime();
  return left > 0
    ? {
        isOpen: true,
        text: `${formatDuration(left)} left to request syncs (until ${formatDateTime(new Date(endsAt).toISOString())})`,
      }
    : { isOpen: false, text: `Request window closed on ${formatDateTime(new Date(endsAt).toISOString())}` };
}

export type HistoryView = {
  label: string;
  tone: "muted" | "busy" | "good" | "bad";
  detail: string | null;
};

/** The history sync's state for the Numbers page: requested, receiving, complete, declined, failed, stale. */
export function describeHistoryState(number: NumberOverviewDto, now: Date, staleAfterMs: number): HistoryView | null {
  const history = number.history;
  const request = number.historyRequest;
  if (request?.state === "failed") {
    return { label: "Failed", tone: "bad", detail: explainSyncFailure("history", request.errorCode, request.errorMessage) };
  }
  if (!history?.state) return null;
  const last = history.lastEventAt ? new Date(history.lastEventAt).getTime() : null;
  const isQuiet = last !== null && now.getTime() - last > staleAfterMs;
  switch (history.state) {
    case "requested":
    case "receiving":
      if (isQuiet) {
        return {
          label: "Stale",
          tone: "bad",
          detail: `Nothing arrived for ${formatAgo(now.getTime() - last!)}. Ask the business to open the WhatsApp Business app on the phone, online; Meta delivers history from there.`,
        };
      }
      return history.state === "requested"
        ? {
            label: "Requested",
            tone: "busy",
            detail: request?.state === "uncertain" ? UNCERTAIN_TEXT : "Waiting for the first chats from the phone.",
          }
        : { label: "Receiving", tone: "busy", detail: null };
    case "complete":
      return { label: "Complete", tone: "good", detail: null };
    case "declined":
      return {
        label: "Declined by the business",
        tone: "muted",
        detail: "The business chose not to share its chat history (Meta 2593109). Contacts and new messages are not affected.",
      };
    case "failed":
      return {
        label: "Failed",
        tone: "bad",
        detail: explainSyncFailure("history", history.error?.code ?? null, history.error?.message ?? null),
      };
  }
}

const phaseLabels = ["day 0–1", "days 1–90", "days 90–180"];
export const describePhases = (phases: readonly number[]) =>
  phases.length ? phases.map((p) => phaseLabels[p] ?? `phase ${p}`).join(", ") : "none yet";

export const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** One lifecycle event in plain words. */
export function describeLifecycleEvent(event: NumberOverviewDto["events"][number]) {
  switch (event.event) {
    case "EMBEDDED_SIGNUP_COMPLETED":
      return "Connected through Embedded Signup";
    case "PARTNER_ADDED":
      return "WhatsApp account shared with Tandem";
    case "PARTNER_APP_INSTALLED":
      return "Tandem's app authorised";
    case "PARTNER_APP_UNINSTALLED":
      return "Tandem's app removed by the business: the token no longer works";
    case "ACCOUNT_OFFBOARDED":
      return "Offboarded: the business re-registered WhatsApp on a phone, sends paused";
    case "ACCOUNT_RECONNECTED":
      return "Reconnected by Meta: sends resume";
    case "PARTNER_REMOVED": {
      const detail = describeDisconnection(event.disconnectionReason, event.disconnectionInitiatedBy);
      return `Disconnected from the WhatsApp Business app${detail ? `: ${detail}` : ""}`;
    }
    default:
      return event.event.toLowerCase().replace(/_/g, " ");
  }
}

/** What the admin should do now, given the number's state. */
export function nextStepFor(state: NumberState): string {
  switch (state) {
    case "connected":
      return "Nothing to do. To disconnect, the business uses the phone: WhatsApp Business app > Settings > Account > Business Platform > Disconnect.";
    case "offboarded":
      return "Wait: Meta usually reconnects the number within minutes once the phone is set up again. If it stays paused, connect the number again.";
    case "disconnected":
      return "Conversations stay here, read-only. To work on this number again, connect it again with the button above; its contacts and conversations are kept.";
    case "uninstalled":
      return "The business removed Tandem's access. Connect the number again to give Tandem a new token.";
    case "restricted":
      return "Check the number's status and limits in WhatsApp Manager.";
    case "deleted":
      return "The number no longer exists in the WhatsApp Business account. Its conversations stay here, read-only.";
  }
}
