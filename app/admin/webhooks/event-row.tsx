"use client";

import { Button } from "@/components/ui/button";
import { formatBytes, formatCount, formatDateTime, formatFullDate, formatPhone } from "@/lib/client/format";
import type { NumberDto, WebhookEventDto } from "@/lib/client/types";

/** What happened to an event replayed from this page, until it settles. */
export type Replay =
  | { phase: "sending" | "queued"; event: WebhookEventDto; at: number }
  | { phase: "processed"; event: WebhookEventDto; at: number }
  | { phase: "failed"; event: WebhookEventDto; at: number; error: string | null }
  | { phase: "error"; event: WebhookEventDto; at: number; error: string };

type FailedItem = NonNullable<WebhookEventDto["failedItems"]>[number];

const failureLabels: Record<FailedItem["code"], string> = {
  invalid: "Malformed",
  number_not_connected: "Number not connected yet",
  apply_failed: "Not applied",
};

/** `106540352242922 (Tandem Demo Shop)`: routing keys are phone number ids and WABA ids. */
function describeKey(key: string, numbers: NumberDto[]) {
  const number = numbers.find((n) => n.phoneNumberId === key || n.wabaId === key);
  if (!number) return { key, name: null };
  const name = number.verifiedName || formatPhone(number.displayPhoneNumber);
  return { key, name: number.wabaId === key ? `${name} (business account)` : name };
}

/** On small screens each row becomes a card; the labels come from `data-label`. */
const cellClass =
  "px-4 py-3 align-top max-md:flex max-md:gap-3 max-md:px-0 max-md:py-1 max-md:before:w-24 max-md:before:shrink-0 max-md:before:text-xs max-md:before:text-zinc-500 max-md:before:content-[attr(data-label)]";

export function EventRow({
  event,
  numbers,
  replay,
  onReplay,
  onDismiss,
  isDismissing,
  onViewPayload,
}: {
  event: WebhookEventDto;
  numbers: NumberDto[];
  replay: Replay | undefined;
  onReplay: () => void;
  onDismiss: () => void;
  isDismissing: boolean;
  onViewPayload: () => void;
}) {
  const isBusy = replay?.phase === "sending" || replay?.phase === "queued";
  const shown = replay?.phase === "failed" ? replay.event : event;
  const error = replay?.phase === "failed" ? replay.error : event.error;
  return (
    <tr className="max-md:block max-md:px-4 max-md:py-3" data-event-id={event.id}>
      <td className={`${cellClass} whitespace-nowrap`} data-label="Received">
        <span>
          <time dateTime={event.receivedAt} title={formatFullDate(event.receivedAt)} className="tabular-nums">
            {formatDateTime(event.receivedAt, { withSeconds: true })}
          </time>
          <span className="block text-xs text-zinc-500 max-md:ml-1.5 max-md:inline">#{event.id}</span>
        </span>
      </td>
      <td className={`${cellClass} tabular-nums`} data-label="Attempts">
        <span>
          {formatCount(shown.attempts)}
          {event.status === "pending" && event.nextAttemptAt ? (
            <span className="block text-xs text-amber-700">
              retry at{" "}
              <time dateTime={event.nextAttemptAt} title={formatFullDate(event.nextAttemptAt)}>
                {formatDateTime(event.nextAttemptAt, { withSeconds: true })}
              </time>
            </span>
          ) : null}
        </span>
      </td>
      <td className={cellClass} data-label="Routing keys">
        {event.routingKeys.length === 0 ? (
          <span className="text-zinc-500">None</span>
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
        ) : shown.failedItems?.length ? (
          <FailedItems items={shown.failedItems} />
        ) : error ? (
          <span className="line-clamp-3 font-mono text-xs break-words text-red-800" title={error}>
            {error}
          </span>
        ) : (
          <span className="text-zinc-500">{event.status === "pending" ? "Waiting for the worker" : "No error recorded"}</span>
        )}
        {event.dismissedAt ? (
          <span className="mt-1 block text-xs text-zinc-500">
            Dismissed <time dateTime={event.dismissedAt}>{formatDateTime(event.dismissedAt)}</time>
          </span>
        ) : null}
      </td>
      <td className={`${cellClass} text-right whitespace-nowrap max-md:pt-2`} data-label="">
        <span className="inline-flex flex-col items-end gap-1 max-md:items-start">
          <span className="inline-flex flex-wrap justify-end gap-1.5">
            <Button variant="ghost" className="px-2.5 py-1" onClick={onViewPayload}>
              Payload<span className="sr-only"> of event {event.id}</span>
            </Button>
            {event.status === "failed" && !event.dismissedAt && replay?.phase !== "processed" ? (
              <Button variant="ghost" className="px-2.5 py-1" disabled={isBusy || isDismissing} onClick={onDismiss}>
                Dismiss<span className="sr-only"> event {event.id}</span>
              </Button>
            ) : null}
            {event.status !== "processed" && replay?.phase !== "processed" ? (
              <Button variant="secondary" className="px-3 py-1" disabled={isBusy} onClick={onReplay}>
                Replay<span className="sr-only"> event {event.id}</span>
              </Button>
            ) : null}
          </span>
          <ReplayOutcome replay={replay} />
        </span>
      </td>
    </tr>
  );
}

/** The parts of the body that failed, by their path in it, with why. */
function FailedItems({ items }: { items: FailedItem[] }) {
  return (
    <ul className="space-y-1.5" aria-label="Failed parts">
      {items.map((item) => (
        <li key={`${item.path}:${item.code}`} className="text-xs">
          <span className="font-medium whitespace-nowrap text-red-800">{failureLabels[item.code] ?? item.code}</span>
          <span className="block font-mono break-all text-zinc-600">{item.path || "whole body"}</span>
          <span className="line-clamp-2 font-mono break-words text-zinc-700" title={item.message}>
            {item.message}
          </span>
        </li>
      ))}
    </ul>
  );
}

function ReplayOutcome({ replay }: { replay: Replay | undefined }) {
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
    <span role="status" className={`text-xs ${outcome?.tone ?? ""}`}>
      {outcome?.text}
    </span>
  );
}
