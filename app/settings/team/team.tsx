"use client";

import { useQuery } from "@tanstack/react-query";
import { numbersQuery, teamQuery } from "@/lib/client/queries";
import { InviteForm, PendingInvites } from "./invites";
import { MemberCard } from "./member-card";

/** Settings > Team: invite people, choose who sees which number, deactivate, reset passwords. */
export function Team({ me }: { me: string }) {
  const team = useQuery(teamQuery());
  const numbers = useQuery(numbersQuery());
  const allNumbers = numbers.data ?? [];

  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-xl font-semibold text-zinc-900">Team</h1>
        <p className="mt-1 text-sm text-zinc-600">
          Admins see every number and manage the team. Agents see only the numbers you give them.
        </p>
      </header>

      <InviteForm numbers={allNumbers} />

      {team.isError ? (
        <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          The team could not be loaded: {team.error.message}
        </p>
      ) : null}

      {team.data && team.data.invites.length > 0 ? <PendingInvites invites={team.data.invites} numbers={allNumbers} /> : null}

      <section aria-labelledby="members-title">
        <h2 id="members-title" className="text-sm font-semibold text-zinc-900">
          Members {team.data ? <span className="font-normal text-zinc-500">· {team.data.members.length}</span> : null}
        </h2>
        <ul className="mt-3 space-y-3">
          {team.data
            ? team.data.members.map((member) => (
                <li key={member.id}>
                  <MemberCard member={member} numbers={allNumbers} isMe={member.id === me} />
                </li>
              ))
            : [0, 1].map((i) => <li key={i} className="h-28 animate-pulse rounded-2xl bg-zinc-100" />)}
        </ul>
      </section>
    </div>
  );
}
