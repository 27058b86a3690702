"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { formatPhone } from "@/lib/client/format";
import {
  type CannedReplyDto,
  cannedRepliesQuery,
  createCannedReply,
  deleteCannedReply,
  numbersQuery,
  queryKeys,
  updateCannedReply,
  updateNumberSettings,
} from "@/lib/client/queries";
import type { NumberDto } from "@/lib/client/types";

const numberLabel = (n: NumberDto) => n.verifiedName || formatPhone(n.displayPhoneNumber);

function ErrorNote({ error }: { error: Error | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {error.message}
    </p>
  );
}

/** Adds a canned reply, or edits one when given. */
function CannedReplyForm({ numberId, reply, onDone }: { numberId: string; reply?: CannedReplyDto; onDone?: () => void }) {
  const queryClient = useQueryClient();
  const bodyId = useId();
  const save = useMutation({
    mutationFn: (input: { shortcut: string; body: string }) =>
      reply ? updateCannedReply(reply.id, input) : createCannedReply(numberId, input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.cannedReplies(numberId) });
      onDone?.();
    },
  });
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    save.mutate(
      { shortcut: String(data.get("shortcut") ?? ""), body: String(data.get("body") ?? "") },
      { onSuccess: () => (reply ? undefined : form.reset()) },
    );
  }
  return (
    <form onSubmit={onSubmit} aria-label={reply ? `Edit /${reply.shortcut}` : "New canned reply"} className="space-y-3">
      <TextField
        label="Shortcut"
        name="shortcut"
        required
        defaultValue={reply ? `/${reply.shortcut}` : ""}
        placeholder="/thanks"
        hint="Agents type it in the composer; letters, digits, - or _"
      />
      <div className="space-y-1.5">
        <label htmlFor={bodyId} className="block text-sm font-medium text-zinc-800">
          Text
        </label>
        <textarea
          id={bodyId}
          name="body"
          required
          rows={3}
          defaultValue={reply?.body}
          placeholder="Thank you, {{first_name}}! We will get back to you shortly."
          className="block w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm shadow-xs focus:border-emerald-600 focus:ring-2 focus:ring-emerald-100 focus:outline-none"
        />
        <p className="text-xs text-zinc-600">{"{{name}} and {{first_name}} become the customer's name."}</p>
      </div>
      <ErrorNote error={save.error} />
      <div className="flex gap-2">
        <Button type="submit" disabled={save.isPending}>
          {reply ? "Save" : "Add canned reply"}
        </Button>
        {onDone ? (
          <Button variant="secondary" onClick={onDone}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}

function CannedReplyRow({ numberId, reply }: { numberId: string; reply: CannedReplyDto }) {
  const queryClient = useQueryClient();
  const [isEditing, setEditing] = useState(false);
  const remove = useMutation({
    mutationFn: () => deleteCannedReply(reply.id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.cannedReplies(numberId) }),
  });
  if (isEditing) {
    return (
      <li className="px-4 py-3">
        <CannedReplyForm numberId={numberId} reply={reply} onDone={() => setEditing(false)} />
      </li>
    );
  }
  return (
    <li className="flex items-start gap-3 px-4 py-3 text-sm">
      <span className="w-28 shrink-0 font-mono font-medium text-zinc-900">/{reply.shortcut}</span>
      <span className="min-w-0 flex-1 break-words whitespace-pre-wrap text-zinc-700">{reply.body}</span>
      <Button variant="ghost" className="px-2 py-1" onClick={() => setEditing(true)} aria-label={`Edit /${reply.shortcut}`}>
        Edit
      </Button>
      <Button
        variant="ghost"
        className="px-2 py-1 text-red-700"
        disabled={remove.isPending}
        onClick={() => remove.mutate()}
        aria-label={`Delete /${reply.shortcut}`}
      >
        Delete
      </Button>
    </li>
  );
}

/** One number's reply settings: auto-assignment and its shared canned replies. */
function NumberReplies({ number }: { number: NumberDto }) {
  const queryClient = useQueryClient();
  const replies = useQuery(cannedRepliesQuery(number.id));
  const autoAssign = useMutation({
    mutationFn: (value: boolean) => updateNumberSettings(number.id, { autoAssignOnReply: value }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.numbers }),
  });
  const label = numberLabel(number);
  return (
    <section aria-label={`Replies of ${label}`} className="space-y-4 rounded-2xl border border-zinc-200 bg-white p-5 shadow-xs">
      <h2 className="text-base font-semibold text-zinc-900">{label}</h2>
      <label className="flex items-start gap-2.5 text-sm text-zinc-800">
        <input
          type="checkbox"
          className="mt-0.5 size-4 accent-emerald-700"
          checked={autoAssign.isPending ? autoAssign.variables : number.autoAssignOnReply}
          onChange={(e) => autoAssign.mutate(e.target.checked)}
        />
        <span>
          <span className="block font-medium">Assign a conversation to whoever replies first</span>
          <span className="block text-zinc-600">An agent who answers an unassigned conversation becomes its assignee.</span>
        </span>
      </label>
      <ErrorNote error={autoAssign.error} />
      <div>
        <h3 className="text-sm font-semibold text-zinc-900">Canned replies</h3>
        <p className="mt-0.5 text-sm text-zinc-600">Shared by everyone on this number; type / in the composer to use one.</p>
        {replies.isError ? <ErrorNote error={replies.error} /> : null}
        {replies.data?.length ? (
          <ul
            aria-label={`Canned replies of ${label}`}
            className="mt-3 divide-y divide-zinc-200 rounded-xl border border-zinc-200"
          >
            {replies.data.map((reply) => (
              <CannedReplyRow key={reply.id} numberId={number.id} reply={reply} />
            ))}
          </ul>
        ) : replies.isSuccess ? (
          <p className="mt-3 text-sm text-zinc-600">No canned replies yet.</p>
        ) : null}
      </div>
      <div className="border-t border-zinc-100 pt-4">
        <h3 className="mb-3 text-sm font-semibold text-zinc-900">Add a canned reply</h3>
        <CannedReplyForm numberId={number.id} />
      </div>
    </section>
  );
}

export function RepliesSettings() {
  const numbers = useQuery(numbersQuery());
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-xl font-semibold text-zinc-900">Replies</h1>
        <p className="mt-1 text-sm text-zinc-600">Canned replies and auto-assignment, per number. Only admins change them.</p>
      </header>
      {numbers.isError ? <ErrorNote error={numbers.error} /> : null}
      {numbers.data?.length === 0 ? <p className="text-sm text-zinc-600">No number is connected yet.</p> : null}
      {numbers.data?.map((number) => (
        <NumberReplies key={number.id} number={number} />
      ))}
    </div>
  );
}
