"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { LabelDot } from "@/components/labels/label-chip";
import { TagIcon } from "@/components/ui/icons";
import { IconLabel, Popover } from "@/components/ui/popover";
import { labelsQuery } from "@/lib/client/queries";

/** Ticks the conversation's labels; each tick saves the whole set. */
export function LabelPicker({
  buttonClassName,
  labelIds,
  isAdmin,
  onChange,
}: {
  buttonClassName: string;
  labelIds: string[];
  isAdmin: boolean;
  onChange: (labelIds: string[]) => void;
}) {
  const labels = useQuery(labelsQuery());
  const list = labels.data ?? [];
  // The ticks show at once, in the same event, until the conversation's next state arrives: the
  // save's optimistic state comes a few ticks later, and a controlled checkbox would flicker back.
  const [ticked, setTicked] = useState<string[] | null>(null);
  const [savedIds, setSavedIds] = useState(labelIds);
  if (savedIds !== labelIds) {
    setSavedIds(labelIds);
    setTicked(null);
  }
  const shown = ticked ?? labelIds;
  const toggle = (id: string, isOn: boolean) => {
    const next = isOn ? [...shown, id] : shown.filter((l) => l !== id);
    setTicked(next);
    onChange(next);
  };

  return (
    <Popover
      label={<IconLabel icon={<TagIcon className="size-3.5 text-zinc-500" />} text="Labels" />}
      buttonClassName={buttonClassName}
    >
      {() =>
        list.length === 0 ? (
          <p className="px-2.5 py-1.5 text-sm text-zinc-600">
            {labels.isPending ? "Loading labels…" : "No labels yet."}{" "}
            {isAdmin && !labels.isPending ? (
              <a href="/settings/labels" className="font-medium text-emerald-800 underline underline-offset-2">
                Create labels
              </a>
            ) : !labels.isPending ? (
              "An admin creates them in Settings."
            ) : null}
          </p>
        ) : (
          <fieldset>
            <legend className="sr-only">Labels of this conversation</legend>
            {list.map((label) => (
              <label
                key={label.id}
                className="flex items-center gap-2 rounded-md px-2.5 py-1.5 text-sm text-zinc-800 hover:bg-zinc-100"
              >
                <input
                  type="checkbox"
                  checked={shown.includes(label.id)}
                  onChange={(event) => toggle(label.id, event.target.checked)}
                  className="size-4 accent-emerald-700"
                />
                <LabelDot color={label.color} />
                <span className="truncate">{label.name}</span>
              </label>
            ))}
          </fieldset>
        )
      }
    </Popover>
  );
}
