"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CheckIcon, RefreshIcon } from "@/components/ui/icons";
import { formatBytes, formatCount, formatDateTime, formatFullDate, formatPhone } from "@/lib/client/format";
import { numbersQuery, queryKeys, replayWebhookEvent, webhookEventsQuery } from "@/lib/client/queries";
import type { NumberDto, WebhookEventDto, WebhookEventStatus } from "@/lib/client/types";

const filters: { status: WebhookEventStatus; label: string }[] = [
  { status: "failed", label: "Failed" },
  { status: "pending", label: "Pending" },
  { status: "processed", label: "Processed" },
];

/** What happened to an event replayed from this page, until it settles. */
type Replay =
  | { phase: "sending" | "queued"; event: WebhookEventDto; at: number }
  | { phase: "processed"; event: WebhookEventDto; at: number }
  | { phase: "failed"; event: WebhookEventDto; at: number; error: string | null }
  | { phase: "error"; event: WebhookEventDto; at: number; error: string };

const POLL_MS = 1500;

function parseStatus(value: string | null): WebhookEventStatus {
  return filters.find((f) => f.status === value)?.status ?? "failed";
}

/** `106540352242922 (Tandem Demo Shop)`: routing keys are phone number ids and WABA ids. */
function describeKey(key: string, numbers: NumberDto[]) {
  const number = numbers.find((n) => n.phoneNumberId === key || n.wabaId === key);
  if (!number) return { key, name: null };
  const name = number.verifiedName || formatPhone(number.displayPhoneNumber);
  return { key, name: number.wabaId === key ? `${name} (business account)` : name };
}

/**
 * Settles a replay from the lists fetched after it: still pending, failed again (more attempts),
 * or gone from both lists, which means processed.
 */
function settle(
  replay: Replay,
  lists: { pending?: { data: WebhookEventDto[]; at: number }; failed?: { data: WebhookEventDto[]; at: number } },
): Replay {
  if (replay.phase !== "queued" || !lists.pending || !lists.failed) return replay;
  if (lists.pending.at <= replay.at || lists.failed.at <= replay.at) return replay;
  if (lists.pending.data.some((e) => e.id === replay.event.id)) return replay;
  const failed = lists.failed.data.find((e) => e.id === replay.event.id);
  if (failed && failed.attempts > replay.event.attempts)
    return { phase: "failed", event: failed, at: replay.at, error: failed.error };
  if (failed) return replay;
  return { phase: "processed", event: replay.event, at: replay.at };
}

export function WebhookEvents() {
  const search = useSearchParams();
  const status = parseStatus(search.get("status"));
  const queryClient = useQueryClient();
  const [replays, setReplays] = useState<Map<number, Replay>>(new Map());
  const hasQueued = [...replays.values()].some((r) => r.phase === "queued");

  const events = useQuery({ ...webhookEventsQuery(status), refetchInterval: hasQueued ? POLL_MS : false });
  const pending = useQuery({
    ...webhookEventsQuery("pending"),
    enabled: hasQueued,
    refetchInterval: hasQueued ? POLL_MS : false,
  });
  const failed = useQuery({ ...webhookEventsQuery("failed"), enabled: hasQueued, refetchInterval: hasQueued ? POLL_MS : false });
  const numbers = useQuery(numbersQuery());

  const settled = new Map(
    [...replays].map(([id, replay]) => [
      id,
      settle(replay, {
        pending: pending.data ? { data: pending.data, at: pending.dataUpdatedAt } : undefined,
        failed: failed.data ? { data: failed.data, at: failed.dataUpdatedAt } : undefined,
      }),
    ]),
  );
  if ([...settled].some(([id, r]) => replays.get(id) !== r)) setReplays(settled);

  const replay = useMutation({
    mutationFn: (event: WebhookEventDto) => replayWebhookEvent(event.id),
    onMutate: (event) => setReplays((map) => new Map(map).set(event.id, { phase: "sending", event, at: Date.now() })),
    onSuccess: (_result, event) => setReplays((map) => new Map(map).set(event.id, { phase: "queued", event, at: Date.now() })),
    onError: (error, event) =>
      setReplays((map) => new Map(map).set(event.id, { phase: "error", event, at: Date.now(), error: error.message })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.webhookEvents }),
  });

  function selectStatus(next: WebhookEventStatus) {
    const params = new URLSearchParams(search.toString());
    if (next === "failed") params.delete("status");
    else params.set("status", next);
    const qs = params.toString();
    window.history.replaceState(null, "", qs ? `/admin/webhooks?${qs}` : "/admin/webhooks");
    setReplays(new Map());
  }

  // Replayed rows stay on screen (with their outcome) even once they leave the list they were in.
  const rows = [...(events.data ?? [])];
  for (const r of replays.values()) if (!rows.some((e) => e.id === r.event.id)) rows.push(r.event);
  rows.sort((a, b) => b.id - a.id);
  const label = filters.find((f) => f.status === status)?.label ?? "Failed";

  return (
    <main className="mx-auto w-full max-w-6xl flex-1 px-3 py-6 sm:px-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="max-w-2xl">
          <h1 className="text-lg font-semibold text-zinc-900">Webhook events</h1>
          <p className="mt-1 text-sm text-zinc-600">
            Every webhook Meta sends is stored before Tandem answers it. When processing fails, the event waits here: replay it
            once the cause is fixed. Replaying an event that was already applied changes nothing.
          </p>
        </div>
        <div className="flex items-center gap-2">
          <fieldset className="flex rounded-lg border border-zinc-300 bg-white p-0.5 shadow-xs">
            <legend className="sr-only">Show events</legend>
            {filters.map((f) => (
              <label
                key={f.status}
                className={`cursor-pointer rounded-md px-3 py-1.5 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-emerald-600 ${
                  status === f.status ? "bg-zinc-900 font-medium text-white" : "text-zinc-700 hover:bg-zinc-100"
                }`}
              >
                <input
                  type="radio"
                  name="webhook-status"
                  value={f.status}
                  checked={status === f.status}
                  onChange={() => selectStatus(f.status)}
                  className="sr-only"
                />
                {f.label}
              </label>
            ))}
          </fieldset>
          <Button
            variant="secondary"
            className="px-2.5"
            onClick={() => void events.refetch()}
            disabled={events.isFetching}
            aria-label="Refresh"
            title="Refresh"
          >
            <RefreshIcon className={`size-4 ${events.isFetching ? "animate-spin" : ""}`} />
          </Button>
        </div>
      </div>

      <div className="mt-5 overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-xs">
        {events.isPending ? (
          <div className="space-y-3 p-4" aria-hidden="true">
            {[0, 1, 2].map((i) => (
              <div key={i} className="h-10 animate-pulse rounded bg-zinc-100" />
            ))}
          </div>
        ) : events.isError ? (
          <div role="alert" className="p-4 text-sm text-red-700">
            Webhook events could not be loaded: {events.error.message}
          </div>
        ) : rows.length === 0 ? (
          <div className="px-6 py-14 text-center">
            <CheckIcon className="mx-auto size-8 text-emerald-500" />
            <p className="mt-2 text-sm font-medium text-zinc-800">No {label.toLowerCase()} webhook events</p>
            <p className="mt-1 text-sm text-zinc-500">
              {status === "failed"
                ? "Every webhook Meta sent was processed."
                : status === "pending"
                  ? "Nothing is waiting to be processed."
                  : "Tandem has not processed any webhook yet."}
            </p>
          </div>
        ) : (
          <table className="w-full text-left text-sm max-md:block">
            <caption className="sr-only">{label} webhook events, newest first</caption>
            <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-500 max-md:hidden">
              <tr>
                <th scope="col" className="px-4 py-2.5 font-medium">
                  Received
                </th>
                <th scope="col" className="px-4 py-2.5 font-medium">
                  Attempts
                </th>
                <th scope="col" className="px-4 py-2.5 font-medium">
                  Routing keys
                </th>
                <th scope="col" className="px-4 py-2.5 text-right font-medium">
                  Size
                </th>
                <th scope="col" className="px-4 py-2.5 font-medium">
                  {status === "processed" ? "Processed" : "Error"}
                </th>
                <th scope="col" className="px-4 py-2.5 font-medium">
                  <span className="sr-only">Action</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 max-md:block">
              {rows.map((event) => (
                <EventRow
                  key={event.id}
                  event={event}
                  numbers={numbers.data ?? []}
                  replay={replays.get(event.id)}
                  onReplay={() => replay.mutate(event)}
                />
              ))}
            </tbody>
          </table>
        )}
      </div>
      {events.data && events.data.length >= 100 ? (
        <p className="mt-2 text-xs text-zinc-500">Showing the newest 100 events.</p>
      ) : null}
    </main>
  );
}

/** On small screens each row becomes a card; the labels come from `data-label`. */
const cellClass =
  "px-4 py-3 align-top max-md:flex max-md:gap-3 max-md:px-0 max-md:py-1 max-md:before:w-24 max-md:before:shrink-0 max-md:before:text-xs max-md:before:text-zinc-500 max-md:before:content-[attr(data-label)]";

function EventRow({
  event,
  numbers,
  replay,
  onReplay,
}: {
  event: WebhookEventDto;
  numbers: NumberDto[];
  replay: Replay | undefined;
  onReplay: () => void;
}) {
  const isBusy = replay?.phase === "sending" || replay?.phase === "queued";
  const error = replay?.phase === "failed" ? replay.error : event.error;
  const attempts = replay?.phase === "failed" ? replay.event.attempts : event.attempts;
  return (
    <tr className="max-md:block max-md:px-4 max-md:py-3" data-event-id={event.id}>
      <td className={`${cellClass} whitespace-nowrap`} data-label="Received">
        <span>
          <time dateTime={event.receivedAt} title={formatFullDate(event.receivedAt)} className="tabular-nums">
            {formatDateTime(event.receivedAt, { withSeconds: true })}
          </time>
          <span className="block text-xs text-zinc-400 max-md:ml-1.5 max-md:inline">#{event.id}</span>
        </span>
      </td>
      <td className={`${cellClass} tabular-nums`} data-label="Attempts">
        {formatCount(attempts)}
      </td>
      <td className={cellClass} data-label="Routing keys">
        {event.routingKeys.length === 0 ? (
          <span className="text-zinc-400">None</span>
        ) : (
          <ul className="space-y-0.5">
            {event.routingKeys.map((key) => {
              const described = describeKey(key, numbers);
              return (
                <li key={key} className="text-xs">
                  <span className="font-mono text-zinc-700">{described.key}</span>
                  {described.name ? <span className="text-zinc-500"> · {described.name}</span> : null}
                </li>
              );
            })}
          </ul>
        )}
      </td>
      <td className={`${cellClass} text-right whitespace-nowrap tabular-nums max-md:text-left`} data-label="Size">
        {formatBytes(event.byteSize) ?? "0 B"}
      </td>
      <td className={`${cellClass} max-w-md`} data-label={event.status === "processed" ? "Processed" : "Error"}>
        {event.status === "processed" && event.processedAt ? (
          <time dateTime={event.processedAt} className="tabular-nums">
            {formatDateTime(event.processedAt, { withSeconds: true })}
          </time>
        ) : error ? (
          <span className="line-clamp-3 font-mono text-xs break-words text-red-800" title={error}>
            {error}
          </span>
        ) : (
          <span className="text-zinc-400">{event.status === "pending" ? "Waiting for the worker" : "No error recorded"}</span>
        )}
      </td>
      <td className={`${cellClass} text-right whitespace-nowrap max-md:pt-2`} data-label="">
        <ReplayCell event={event} replay={replay} isBusy={isBusy} onReplay={onReplay} />
      </td>
    </tr>
  );
}

function ReplayCell({
  event,
  replay,
  isBusy,
  onReplay,
}: {
  event: WebhookEventDto;
  replay: Replay | undefined;
  isBusy: boolean;
  onReplay: () => void;
}) {
  const outcome =
    replay?.phase === "sending"
      ? { text: "Replaying…", tone: "text-zinc-600" }
      : replay?.phase === "queued"
        ? { text: "Queued for replay", tone: "text-sky-700" }
        : replay?.phase === "processed"
          ? { text: "Processed", tone: "text-emerald-700" }
          : replay?.phase === "failed"
            ? { text: "Failed again", tone: "text-red-700" }
            : replay?.phase === "error"
              ? { text: `Not replayed: ${replay.error}`, tone: "text-red-700" }
              : null;
  return (
    <span className="inline-flex flex-col items-end gap-1 max-md:items-start">
      {event.status !== "processed" && replay?.phase !== "processed" ? (
        <Button variant="secondary" className="px-3 py-1" disabled={isBusy} onClick={onReplay}>
          Replay<span className="sr-only"> event {event.id}</span>
        </Button>
      ) : null}
      <span role="status" className={`text-xs ${outcome?.tone ?? ""}`}>
        {outcome?.text}
      </span>
    </span>
  );
}
