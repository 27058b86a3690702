"use client";

import { formatDateTime } from "@/lib/client/format";
import {
  describeHistoryState,
  describePhases,
  describeSyncWindow,
  explainSyncFailure,
  plural,
  UNCERTAIN_TEXT,
} from "@/lib/client/onboarding-format";
import type { NumberOverviewDto } from "@/lib/client/types";

const toneClass = {
  muted: "bg-zinc-100 text-zinc-700",
  busy: "bg-sky-50 text-sky-800",
  good: "bg-emerald-50 text-emerald-800",
  bad: "bg-red-50 text-red-800",
} as const;

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="text-sm font-medium text-zinc-900 tabular-nums">{value}</dd>
    </div>
  );
}

function RequestLine({ request }: { request: NonNullable<NumberOverviewDto["contactsSync"]> }) {
  return (
    <p className="text-xs text-zinc-500">
      Requested {formatDateTime(request.requestedAt, { withSeconds: true })}
      {request.requestId ? (
        <>
          {" "}
          · request id <span className="font-mono">{request.requestId}</span>
        </>
      ) : null}
    </p>
  );
}

/** The onboarding syncs: contacts and history, the 24-hour request window, and where imports land. */
export function SyncPanel({ number, now, staleAfterMs }: { number: NumberOverviewDto; now: Date; staleAfterMs: number }) {
  const contacts = number.contactsSync;
  const history = number.history;
  const historyView = describeHistoryState(number, now, staleAfterMs);
  const window = describeSyncWindow(number.onboardedAt, now);
  const progress = Math.min(100, Math.floor(history?.maxProgress ?? 0));
  if (!contacts && !number.historyRequest && !history?.state) {
    return (
      <section aria-label="Onboarding sync" className="border-t border-zinc-100 px-4 py-3 text-sm text-zinc-600">
        No onboarding sync was requested through Tandem for this number.
      </section>
    );
  }

  return (
    <section aria-label="Onboarding sync" className="space-y-3 border-t border-zinc-100 px-4 py-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h4 className="text-sm font-semibold text-zinc-900">Onboarding sync</h4>
        <p className={`text-xs ${window.isOpen ? "text-zinc-600" : "text-zinc-500"}`}>{window.text}</p>
      </div>
      <p className="text-sm text-zinc-600">
        WhatsApp shares the contacts and up to six months of 1:1 chats once, only in the 24 hours after connecting. Keep the
        WhatsApp Business app open on the phone until the history is complete.
      </p>

      <div className="grid gap-3 md:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
        <section className="rounded-lg border border-zinc-200 p-3" aria-label="Contacts sync">
          <h5 className="text-sm font-medium text-zinc-900">Contacts</h5>
          {contacts ? (
            <>
              <p className="mt-1 text-sm text-zinc-800">
                {contacts.state === "failed"
                  ? explainSyncFailure("contacts", contacts.errorCode, contacts.errorMessage)
                  : contacts.state === "uncertain"
                    ? UNCERTAIN_TEXT
                    : `${plural(number.contactsReceived, "contact", "contacts")} received from the phone's address book`}
              </p>
              <RequestLine request={contacts} />
            </>
          ) : (
            <p className="mt-1 text-sm text-zinc-500">Not requested.</p>
          )}
        </section>

        <section className="rounded-lg border border-zinc-200 p-3" aria-label="History sync">
          <div className="flex items-center justify-between gap-2">
            <h5 className="text-sm font-medium text-zinc-900">Chat history</h5>
            {historyView ? (
              <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${toneClass[historyView.tone]}`}>
                {historyView.label}
              </span>
            ) : null}
          </div>
          {historyView?.detail ? <p className="mt-1 text-sm text-zinc-700">{historyView.detail}</p> : null}
          {history?.state && history.state !== "declined" && history.state !== "failed" ? (
            <>
              <div
                className="mt-2 h-2 overflow-hidden rounded-full bg-zinc-100"
                role="progressbar"
                aria-label="History imported"
                aria-valuenow={progress}
                aria-valuemin={0}
                aria-valuemax={100}
              >
                <div
                  className={`h-full rounded-full transition-[width] ${history.state === "complete" ? "bg-emerald-500" : "bg-sky-500"}`}
                  style={{ width: `${progress}%` }}
                />
              </div>
              <dl className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-4">
                <Stat label="Progress" value={`${progress}%`} />
                <Stat label="Messages" value={plural(history.messagesImported ?? 0, "message", "messages")} />
                <Stat label="Conversations" value={plural(history.conversationsImported ?? 0, "conversation", "conversations")} />
                <Stat label="Chunks" value={String(history.chunksReceived ?? 0)} />
              </dl>
              <p className="mt-2 text-xs text-zinc-500">
                Periods received: {describePhases(history.phasesSeen ?? [])}
                {history.lastEventAt ? ` · last activity ${formatDateTime(history.lastEventAt, { withSeconds: true })}` : ""}
              </p>
            </>
          ) : null}
          {number.historyRequest ? <RequestLine request={number.historyRequest} /> : null}
          {history?.conversationsImported ? (
            <p className="mt-2 text-sm text-zinc-700">
              Imported conversations wait in{" "}
              <a
                className="font-medium text-emerald-800 underline underline-offset-2"
                href={`/inbox?number=${number.id}&status=resolved`}
              >
                Resolved
              </a>
              , out of the agents' queues, until the customer writes again.
            </p>
          ) : null}
        </section>
      </div>
    </section>
  );
}
