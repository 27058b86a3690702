"use client";

import { type FormEvent, useId, useState } from "react";
import { ClockIcon } from "@/components/ui/icons";
import { IconLabel, Popover } from "@/components/ui/popover";

/** Snooze presets, in the agent's local time. */
export function snoozePresets(now: Date) {
  const at = (days: number, hour: number) => {
    const d = new Date(now);
    d.setDate(d.getDate() + days);
    d.setHours(hour, 0, 0, 0);
    return d;
  };
  // Next Monday, 9:00 (a week from today when today is Monday).
  const toMonday = (8 - now.getDay()) % 7 || 7;
  return [
    { label: "For 1 hour", until: new Date(now.getTime() + 3600_000) },
    { label: "Until tomorrow, 9:00", until: at(1, 9) },
    { label: "Until next week, Monday 9:00", until: at(toMonday, 9) },
  ];
}

/** `datetime-local` wants local time without a zone. */
const toLocalInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

const itemClass = "block w-full rounded-md px-2.5 py-1.5 text-left text-sm text-zinc-800 hover:bg-zinc-100";

export function SnoozeMenu({ buttonClassName, onSnooze }: { buttonClassName: string; onSnooze: (until: Date) => void }) {
  const inputId = useId();
  const [custom, setCustom] = useState("");
  const [error, setError] = useState<string | null>(null);

  return (
    <Popover
      label={<IconLabel icon={<ClockIcon className="size-3.5 text-zinc-500" />} text="Snooze" />}
      buttonClassName={buttonClassName}
    >
      {(close) => {
        const snooze = (until: Date) => {
          onSnooze(until);
          close();
        };
        const onCustom = (event: FormEvent) => {
          event.preventDefault();
          const until = new Date(custom);
          if (Number.isNaN(until.getTime()) || until.getTime() <= Date.now()) {
            setError("Pick a time in the future.");
            return;
          }
          snooze(until);
        };
        return (
          <>
            <ul aria-label="Snooze presets">
              {snoozePresets(new Date()).map((preset) => (
                <li key={preset.label}>
                  <button type="button" className={itemClass} onClick={() => snooze(preset.until)}>
                    {preset.label}
                  </button>
                </li>
              ))}
            </ul>
            <form onSubmit={onCustom} noValidate className="mt-1 border-t border-zinc-100 px-1 pt-2 pb-1">
              <label htmlFor={inputId} className="text-xs font-medium text-zinc-600">
                Until a time
              </label>
              <input
                id={inputId}
                type="datetime-local"
                min={toLocalInput(new Date())}
                value={custom}
                onChange={(event) => {
                  setCustom(event.target.value);
                  setError(null);
                }}
                className="mt-1 block w-full rounded-md border border-zinc-300 px-2 py-1 text-sm"
                aria-describedby={error ? `${inputId}-error` : undefined}
              />
              <button
                type="submit"
                className="mt-1.5 w-full rounded-md bg-emerald-700 px-2.5 py-1 text-sm font-medium text-white hover:bg-emerald-800"
              >
                Snooze until then
              </button>
              {error ? (
                <p id={`${inputId}-error`} role="alert" className="mt-1 text-xs text-red-700">
                  {error}
                </p>
              ) : null}
            </form>
          </>
        );
      }}
    </Popover>
  );
}
