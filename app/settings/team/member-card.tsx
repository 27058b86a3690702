"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { queryKeys, resetMemberPassword, updateMember } from "@/lib/client/queries";
import type { NumberDto, TeamMemberDto } from "@/lib/client/types";
import { NumberChoices } from "./number-choices";

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((id) => b.includes(id));

/** One member: role, numbers, activity and password, each saved on its own. */
export function MemberCard({ member, numbers, isMe }: { member: TeamMemberDto; numbers: NumberDto[]; isMe: boolean }) {
  const queryClient = useQueryClient();
  const [numberIds, setNumberIds] = useState(member.numberIds);
  const [isResetting, setIsResetting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.team });
  const update = useMutation({
    mutationFn: (patch: Parameters<typeof updateMember>[1]) => updateMember(member.id, patch),
    onSuccess: () => setNotice(null),
    onSettled: refresh,
  });
  const reset = useMutation({
    mutationFn: (password: string) => resetMemberPassword(member.id, password),
    onSuccess: () => {
      setIsResetting(false);
      setNotice(`Password changed. ${member.name} was signed out everywhere; tell them the new password.`);
    },
  });
  const isDirty = !sameSet(numberIds, member.numberIds);
  const error = update.error ?? reset.error;

  function onReset(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    reset.mutate(String(new FormData(event.currentTarget).get("password") ?? ""));
  }

  return (
    <article
      aria-label={member.name}
      className={`rounded-2xl border bg-white p-4 shadow-xs ${member.isActive ? "border-zinc-200" : "border-dashed border-zinc-300 bg-zinc-50"}`}
    >
      <div className="flex flex-wrap items-center gap-3">
        <Avatar name={member.name} size="sm" />
        <div className="min-w-0 flex-1">
          <h3 className="truncate text-sm font-semibold text-zinc-900">
            {member.name} {isMe ? <span className="font-normal text-zinc-500">(you)</span> : null}
          </h3>
          <p className="truncate text-xs text-zinc-600">{member.email}</p>
        </div>
        {member.isActive ? null : (
          <span className="rounded-full bg-zinc-200 px-2 py-0.5 text-xs font-medium text-zinc-700">Deactivated</span>
        )}
        <label className="sr-only" htmlFor={`role-${member.id}`}>
          Role of {member.name}
        </label>
        <select
          id={`role-${member.id}`}
          value={member.role}
          disabled={isMe || update.isPending}
          onChange={(e) => update.mutate({ role: e.target.value === "admin" ? "admin" : "agent" })}
          className="rounded-lg border border-zinc-300 bg-white px-2.5 py-1.5 text-sm shadow-xs disabled:bg-zinc-50 disabled:text-zinc-500"
        >
          <option value="agent">Agent</option>
          <option value="admin">Admin</option>
        </select>
      </div>

      <div className="mt-4">
        {member.role === "admin" ? (
          <p className="text-sm text-zinc-600">Sees every number.</p>
        ) : (
          <div className="flex flex-wrap items-end gap-3">
            <div className="min-w-0 flex-1">
              <NumberChoices
                legend={`Numbers ${member.name} sees`}
                numbers={numbers}
                value={numberIds}
                onChange={setNumberIds}
                disabled={update.isPending}
              />
            </div>
            {isDirty ? (
              <Button variant="secondary" disabled={update.isPending} onClick={() => update.mutate({ numberIds })}>
                Save numbers
              </Button>
            ) : null}
          </div>
        )}
      </div>

      {error ? (
        <p role="alert" className="mt-3 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error.message}
        </p>
      ) : null}
      {notice ? (
        <p role="status" className="mt-3 rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          {notice}
        </p>
      ) : null}

      {isResetting ? (
        <form onSubmit={onReset} className="mt-4 flex flex-wrap items-end gap-2">
          <div className="min-w-48 flex-1">
            <TextField
              label={`New password for ${member.name}`}
              name="password"
              type="password"
              autoComplete="new-password"
              minLength={10}
              required
            />
          </div>
          <Button type="submit" disabled={reset.isPending}>
            Set password
          </Button>
          <Button variant="ghost" onClick={() => setIsResetting(false)}>
            Cancel
          </Button>
        </form>
      ) : isMe ? null : (
        <div className="mt-4 flex flex-wrap gap-2 border-t border-zinc-100 pt-3">
          <Button variant="ghost" className="px-2.5 py-1.5" onClick={() => setIsResetting(true)}>
            Reset password
          </Button>
          <Button
            variant="ghost"
            className={`px-2.5 py-1.5 ${member.isActive ? "text-red-700! hover:bg-red-50" : ""}`}
            disabled={update.isPending}
            onClick={() => update.mutate({ isActive: !member.isActive })}
          >
            {member.isActive ? `Deactivate ${member.name}` : `Reactivate ${member.name}`}
          </Button>
        </div>
      )}
    </article>
  );
}
