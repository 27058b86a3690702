"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { formatDateTime } from "@/lib/client/format";
import { createInvite, queryKeys, revokeInvite } from "@/lib/client/queries";
import type { InviteDto, NumberDto } from "@/lib/client/types";
import { NumberChoices, numberLabel } from "./number-choices";

/** Invite by link: the admin copies it and hands it over; it works once, for seven days. */
export function InviteForm({ numbers }: { numbers: NumberDto[] }) {
  const queryClient = useQueryClient();
  const roleId = useId();
  const [role, setRole] = useState<"agent" | "admin">("agent");
  const [numberIds, setNumberIds] = useState<string[]>([]);
  const [created, setCreated] = useState<{ email: string; url: string } | null>(null);
  const [isCopied, setIsCopied] = useState(false);
  const invite = useMutation({
    mutationFn: createInvite,
    onSuccess: (result) => {
      setCreated({ email: result.invite.email, url: result.url });
      setIsCopied(false);
      setNumberIds([]);
      void queryClient.invalidateQueries({ queryKey: queryKeys.team });
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const email = String(new FormData(form).get("email") ?? "").trim();
    invite.mutate({ email, role, numberIds: role === "admin" ? [] : numberIds }, { onSuccess: () => form.reset() });
  }

  return (
    <section aria-labelledby="invite-title" className="rounded-2xl border border-zinc-200 bg-white p-5 shadow-xs">
      <h2 id="invite-title" className="text-sm font-semibold text-zinc-900">
        Invite a teammate
      </h2>
      <form onSubmit={onSubmit} className="mt-4 space-y-4">
        <div className="grid gap-4 sm:grid-cols-[1fr_10rem]">
          <TextField label="Email" name="email" type="email" required autoComplete="off" placeholder="name@company.com" />
          <div className="space-y-1.5">
            <label htmlFor={roleId} className="block text-sm font-medium text-zinc-800">
              Role
            </label>
            <select
              id={roleId}
              value={role}
              onChange={(e) => setRole(e.target.value === "admin" ? "admin" : "agent")}
              className="block w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm shadow-xs"
            >
              <option value="agent">Agent</option>
              <option value="admin">Admin</option>
            </select>
          </div>
        </div>
        {role === "agent" ? (
          <NumberChoices legend="Numbers they will see" numbers={numbers} value={numberIds} onChange={setNumberIds} />
        ) : (
          <p className="text-sm text-zinc-600">Admins see every number.</p>
        )}
        {invite.isError ? (
          <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            {invite.error.message}
          </p>
        ) : null}
        <Button type="submit" disabled={invite.isPending}>
          {invite.isPending ? "Creating link…" : "Create invitation link"}
        </Button>
      </form>
      {created ? (
        <div className="mt-4 rounded-xl border border-emerald-200 bg-emerald-50 p-3">
          <p className="text-sm text-emerald-900">
            Send this link to <span className="font-medium">{created.email}</span>. It works once and expires in 7 days.
          </p>
          <div className="mt-2 flex gap-2">
            <input
              aria-label="Invitation link"
              readOnly
              value={created.url}
              onFocus={(e) => e.currentTarget.select()}
              className="min-w-0 flex-1 rounded-lg border border-emerald-300 bg-white px-3 py-1.5 font-mono text-xs text-zinc-800"
            />
            <Button
              variant="secondary"
              onClick={() =>
                navigator.clipboard?.writeText(created.url).then(
                  () => setIsCopied(true),
                  () => {},
                )
              }
            >
              {isCopied ? "Copied" : "Copy"}
            </Button>
          </div>
        </div>
      ) : null}
    </section>
  );
}

export function PendingInvites({ invites, numbers }: { invites: InviteDto[]; numbers: NumberDto[] }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: revokeInvite,
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.team }),
  });
  return (
    <section aria-labelledby="pending-title">
      <h2 id="pending-title" className="text-sm font-semibold text-zinc-900">
        Pending invitations
      </h2>
      <ul className="mt-3 divide-y divide-zinc-200 rounded-2xl border border-zinc-200 bg-white">
        {invites.map((invite) => (
          <li key={invite.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3 text-sm">
            <span className="min-w-0 flex-1 truncate font-medium text-zinc-900">{invite.email}</span>
            <span className="text-zinc-600">
              {invite.role === "admin"
                ? "Admin"
                : `Agent · ${
                    invite.numberIds.length === 0
                      ? "no numbers"
                      : numbers
                          .filter((n) => invite.numberIds.includes(n.id))
                          .map(numberLabel)
                          .join(", ")
                  }`}
            </span>
            <span className="text-xs text-zinc-500">Expires {formatDateTime(invite.expiresAt)}</span>
            <Button
              variant="ghost"
              className="px-2 py-1 text-red-700"
              disabled={revoke.isPending}
              onClick={() => revoke.mutate(invite.id)}
              aria-label={`Withdraw the invitation for ${invite.email}`}
            >
              Withdraw
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
