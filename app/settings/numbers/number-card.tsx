"use client";

import { describeNumberNotice, formatAgo, formatDateTime, formatPhone, numberStateLabel } from "@/lib/client/format";
import { describeLifecycleEvent, nextStepFor } from "@/lib/client/onboarding-format";
import type { NumberOverviewDto, NumberState } from "@/lib/client/types";
import { useNow } from "@/lib/client/use-now";
import { MediaDownloads } from "./media-downloads";
import { SyncPanel } from "./sync-panel";

const stateBadge: Record<NumberState, string> = {
  connected: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  offboarded: "bg-amber-50 text-amber-900 ring-amber-200",
  restricted: "bg-amber-50 text-amber-900 ring-amber-200",
  disconnected: "bg-red-50 text-red-800 ring-red-200",
  uninstalled: "bg-red-50 text-red-800 ring-red-200",
  deleted: "bg-zinc-100 text-zinc-700 ring-zinc-200",
};

const describeAgo = (ms: number) => (ms < 60_000 ? "Just now" : `${formatAgo(ms)} ago`);

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="truncate text-sm text-zinc-900">{children}</dd>
    </div>
  );
}

/** One connected number: identity and state, its syncs, and its lifecycle with the next step. */
export function NumberCard({ number, staleAfterMs }: { number: NumberOverviewDto; staleAfterMs: number }) {
  const now = useNow(30_000);
  const title = number.verifiedName || formatPhone(number.displayPhoneNumber);
  const notice = describeNumberNotice(number);
  return (
    <article
      aria-label={`Number ${formatPhone(number.displayPhoneNumber)}`}
      className="rounded-xl border border-zinc-200 bg-white shadow-xs"
    >
      <header className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-100 px-4 py-3">
        <div className="min-w-0">
          <h3 className="truncate text-base font-semibold text-zinc-900">{title}</h3>
          {number.verifiedName ? <p className="text-sm text-zinc-600">{formatPhone(number.displayPhoneNumber)}</p> : null}
        </div>
        <span className={`rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ${stateBadge[number.state]}`}>
          {numberStateLabel[number.state].label}
        </span>
      </header>

      {notice ? (
        <p
          role="note"
          className={`border-b px-4 py-2 text-sm ${notice.tone === "warning" ? "border-amber-100 bg-amber-50 text-amber-900" : "border-red-100 bg-red-50 text-red-800"}`}
        >
          {notice.text}
        </p>
      ) : null}

      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 px-4 py-3 sm:grid-cols-4">
        <Fact label="Onboarded">{formatDateTime(number.onboardedAt, { withSeconds: true })}</Fact>
        <Fact label="Last webhook">
          {number.lastWebhookAt ? describeAgo(now.getTime() - new Date(number.lastWebhookAt).getTime()) : "None recently"}
        </Fact>
        <Fact label="Phone number id">
          <span className="font-mono text-xs">{number.phoneNumberId}</span>
        </Fact>
        <Fact label="WhatsApp Business account">
          <span className="font-mono text-xs">{number.wabaId}</span>
        </Fact>
      </dl>

      <SyncPanel number={number} now={now} staleAfterMs={staleAfterMs} />

      <MediaDownloads number={number} />

      <section aria-label="Lifecycle" className="border-t border-zinc-100 px-4 py-3">
        <h4 className="text-sm font-semibold text-zinc-900">Lifecycle</h4>
        <p className="mt-1 text-sm text-zinc-700">
          <span className="font-medium">Next step: </span>
          {nextStepFor(number.state)}
        </p>
        {number.events.length ? (
          <ol className="mt-2 space-y-1">
            {number.events.map((event) => (
              <li key={`${event.event}-${event.occurredAt}`} className="flex gap-3 text-sm">
                <time dateTime={event.occurredAt} className="w-40 shrink-0 text-zinc-500 tabular-nums">
                  {formatDateTime(event.occurredAt)}
                </time>
                <span className="text-zinc-800">{describeLifecycleEvent(event)}</span>
              </li>
            ))}
          </ol>
        ) : (
          <p className="mt-1 text-sm text-zinc-500">No lifecycle event from Meta yet.</p>
        )}
      </section>
    </article>
  );
}
