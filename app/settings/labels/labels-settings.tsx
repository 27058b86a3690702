"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { LabelChip, labelTone } from "@/components/labels/label-chip";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { createLabel, deleteLabel, labelsQuery, queryKeys, updateLabel } from "@/lib/client/queries";
import type { LabelColor, LabelDto } from "@/lib/client/types";

const colors = Object.keys(labelTone) as LabelColor[];

function ColorChoice({ value, onChange, name }: { value: LabelColor; onChange: (c: LabelColor) => void; name: string }) {
  return (
    <fieldset>
      <legend className="text-sm font-medium text-zinc-800">Colour</legend>
      <div className="mt-1.5 flex flex-wrap gap-1.5">
        {colors.map((color) => (
          <label key={color} className="cursor-pointer">
            <input
              type="radio"
              name={name}
              value={color}
              checked={value === color}
              onChange={() => onChange(color)}
              className="peer sr-only"
            />
            <span className="block rounded-full ring-offset-2 peer-checked:ring-2 peer-checked:ring-zinc-700 peer-focus-visible:ring-2 peer-focus-visible:ring-emerald-600">
              <LabelChip label={{ name: color, color }} />
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function useLabelMutation<T>(fn: (input: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.labels }),
  });
}

function LabelRow({ label }: { label: LabelDto }) {
  const [isEditing, setEditing] = useState(false);
  const [name, setName] = useState(label.name);
  const [color, setColor] = useState(label.color);
  const save = useLabelMutation(() => updateLabel(label.id, { name, color }));
  const remove = useLabelMutation(() => deleteLabel(label.id));
  const error = save.error ?? remove.error;

  if (!isEditing) {
    return (
      <div className="flex items-center gap-3">
        <LabelChip label={label} />
        <span className="flex-1" />
        <Button variant="secondary" onClick={() => setEditing(true)} aria-label={`Edit label ${label.name}`}>
          Edit
        </Button>
        <Button
          variant="ghost"
          disabled={remove.isPending}
          onClick={() => {
            if (window.confirm(`Delete the label ${label.name}? It is taken off every conversation.`)) remove.mutate(undefined);
          }}
          aria-label={`Delete label ${label.name}`}
        >
          Delete
        </Button>
        {error ? (
          <p role="alert" className="text-sm text-red-700">
            {error.message}
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <form
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(undefined, { onSuccess: () => setEditing(false) });
      }}
    >
      <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={40} />
      <ColorChoice value={color} onChange={setColor} name={`color-${label.id}`} />
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error.message}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={save.isPending}>
          Save
        </Button>
        <Button variant="secondary" onClick={() => setEditing(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** Settings > Labels: the workspace's labels, shared by every number; agents apply them. */
export function LabelsSettings() {
  const labels = useQuery(labelsQuery());
  const colorName = useId();
  const [name, setName] = useState("");
  const [color, setColor] = useState<LabelColor>("blue");
  const create = useLabelMutation(createLabel);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name, color }, { onSuccess: () => setName("") });
  };

  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-xl font-semibold text-zinc-900">Labels</h1>
        <p className="mt-1 text-sm text-zinc-600">
          Labels are shared by every number. Agents add them to conversations from the thread and filter the list by them.
        </p>
      </header>

      <section aria-labelledby="new-label-title" className="rounded-2xl border border-zinc-200 bg-white p-5 shadow-xs">
        <h2 id="new-label-title" className="text-sm font-semibold text-zinc-900">
          New label
        </h2>
        <form onSubmit={onSubmit} className="mt-4 space-y-4">
          <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={40} />
          <ColorChoice value={color} onChange={setColor} name={colorName} />
          {create.error ? (
            <p role="alert" className="text-sm text-red-700">
              {create.error.message}
            </p>
          ) : null}
          <Button type="submit" disabled={create.isPending}>
            Create label
          </Button>
        </form>
      </section>

      <section aria-labelledby="labels-title">
        <h2 id="labels-title" className="text-sm font-semibold text-zinc-900">
          Labels {labels.data ? <span className="font-normal text-zinc-500">· {labels.data.length}</span> : null}
        </h2>
        {labels.isError ? (
          <p role="alert" className="mt-2 text-sm text-red-700">
            Labels could not be loaded: {labels.error.message}
          </p>
        ) : null}
        <ul className="mt-3 divide-y divide-zinc-100 rounded-2xl border border-zinc-200 bg-white">
          {(labels.data ?? []).map((label) => (
            <li key={label.id} className="p-4">
              <LabelRow label={label} />
            </li>
          ))}
          {labels.data?.length === 0 ? <li className="p-4 text-sm text-zinc-600">No labels yet.</li> : null}
        </ul>
      </section>
    </div>
  );
}
