"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CheckIcon, RefreshIcon } from "@/components/ui/icons";
import { formatCount } from "@/lib/client/format";
import {
  dismissWebhookEvent,
  numbersQuery,
  queryKeys,
  replayFailedWebhookEvents,
  replayWebhookEvent,
  webhookEventsQuery,
} from "@/lib/client/queries";
import type { WebhookEventDto, WebhookEventStatus } from "@/lib/client/types";
import { EventRow, type Replay } from "./event-row";
import { PayloadDialog } from "./payload-dialog";

const filters: { status: WebhookEventStatus; label: string }[] = [
  { status: "failed", label: "Failed" },
  { status: "pending", label: "Pending" },
  { status: "processed", label: "Processed" },
  { status: "dismissed", label: "Dismissed" },
];

const POLL_MS = 1500;

function parseStatus(value: string | null): WebhookEventStatus {
  return filters.find((f) => f.status === value)?.status ?? "failed";
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

  const dismiss = useMutation({
    mutationFn: (event: WebhookEventDto) => dismissWebhookEvent(event.id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.webhookEvents }),
  });
  const replayAll = useMutation({
    mutationFn: replayFailedWebhookEvents,
    onSuccess: () => {
      // Rows replayed together settle like single replays: from the pending and failed lists.
      const at = Date.now();
      setReplays(new Map((events.data ?? []).map((event) => [event.id, { phase: "queued", event, at }])));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.webhookEvents }),
  });
  const [payloadOf, setPayloadOf] = useState<number | null>(null);

  function selectStatus(next: WebhookEventStatus) {
    const params = new URLSearchParams(search.toString());
    if (next === "failed") params.delete("status");
    else params.set("status", next);
    const qs = params.toString();
    window.history.replaceState(null, "", qs ? `/admin/webhooks?${qs}` : "/admin/webhooks");
    setReplays(new Map());
    replayAll.reset();
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
            Every webhook Meta sends is stored before Tandem answers it. When a part of it cannot be applied, the rest is applied
            and the event waits here with the failed parts: replay it once the cause is fixed, and only what is still missing is
            applied. Dismiss an event you have dealt with; it stays stored.
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <fieldset className="flex rounded-lg border border-zinc-300 bg-white p-0.5 shadow-xs">
            <legend className="sr-only">Show events</legend>
            {filters.map((f) => (
              <label
                key={f.status}
                className={`cursor-pointer rounded-md px-2 py-1.5 text-sm has-[:focus-visible]:outline-2 sm:px-3 has-[:focus-visible]:outline-emerald-600 ${
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
          {status === "failed" && (events.data?.length ?? 0) > 0 ? (
            <Button variant="secondary" disabled={replayAll.isPending} onClick={() => replayAll.mutate()}>
              Replay all failed
            </Button>
          ) : null}
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

      <p role="status" className="mt-3 min-h-5 text-sm text-zinc-600 empty:hidden">
        {replayAll.isSuccess
          ? `${formatCount(replayAll.data.replayed)} failed ${replayAll.data.replayed === 1 ? "event" : "events"} queued for replay.`
          : replayAll.isError
            ? `Not replayed: ${replayAll.error.message}`
            : dismiss.isError
              ? `Not dismissed: ${dismiss.error.message}`
              : ""}
      </p>

      <div className="mt-3 overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-xs">
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
                  : status === "dismissed"
                    ? "No failed event has been dismissed."
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
                  onDismiss={() => dismiss.mutate(event)}
                  isDismissing={dismiss.isPending && dismiss.variables?.id === event.id}
                  onViewPayload={() => setPayloadOf(event.id)}
                />
              ))}
            </tbody>
          </table>
        )}
      </div>
      {events.data && events.data.length >= 100 ? (
        <p className="mt-2 text-xs text-zinc-500">Showing the newest 100 events.</p>
      ) : null}
      {payloadOf !== null ? <PayloadDialog eventId={payloadOf} onClose={() => setPayloadOf(null)} /> : null}
    </main>
  );
}
