"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { unreadCountsQuery } from "@/lib/client/queries";
import { type Alert, useActivityAlerts } from "./use-activity-alerts";

/** The tab title carries the number of unread conversations, so another tab shows there is work. */
function useUnreadTitle(pollMs: number | false) {
  const counts = useQuery({ ...unreadCountsQuery(), refetchInterval: pollMs });
  const unread = counts.data?.all ?? 0;
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Inbox · Tandem` : "Inbox · Tandem";
  }, [unread]);
}

/** Alerts and the unread title for the signed-in user; rendered inside the realtime provider. */
export function InboxAlerts({
  userId,
  pollMs,
  onOpen,
}: {
  userId: string;
  pollMs: number | false;
  onOpen: (conversationId: string) => void;
}) {
  useUnreadTitle(pollMs);
  const { alerts, dismiss } = useActivityAlerts(userId, onOpen);
  return <ActivityAlerts alerts={alerts} onOpen={onOpen} onDismiss={dismiss} />;
}

/**
 * In-page alerts: what happened, with a way to open the conversation. They never cover the
 * composer, where the agent may be typing: bottom left beside the thread when the panes sit side by
 * side, at the top under the bar when one pane fills the screen.
 */
function ActivityAlerts({
  alerts,
  onOpen,
  onDismiss,
}: {
  alerts: Alert[];
  onOpen: (conversationId: string) => void;
  onDismiss: (id: string) => void;
}) {
  return (
    <section
      aria-label="Notifications"
      aria-live="polite"
      className="pointer-events-none fixed inset-x-3 top-14 z-50 flex flex-col gap-2 lg:inset-x-auto lg:top-auto lg:bottom-3 lg:left-3 lg:w-80"
    >
      {alerts.map((alert) => (
        <div
          key={alert.id}
          role="status"
          className="pointer-events-auto flex items-start gap-3 rounded-xl border border-zinc-200 bg-white p-3 text-sm shadow-lg"
        >
          <button
            type="button"
            onClick={() => {
              onOpen(alert.conversationId);
              onDismiss(alert.id);
            }}
            className="min-w-0 flex-1 text-left"
          >
            <span className="block font-semibold text-zinc-900">{alert.title}</span>
            <span className="mt-0.5 block truncate text-zinc-600">{alert.body}</span>
          </button>
          <button
            type="button"
            onClick={() => onDismiss(alert.id)}
            aria-label="Dismiss notification"
            className="-m-1 shrink-0 rounded p-1 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700"
          >
            ×
          </button>
        </div>
      ))}
    </section>
  );
}
