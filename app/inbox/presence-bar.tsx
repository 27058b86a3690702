"use client";

import { usePresence } from "@/lib/client/use-presence";

const list = (names: string[]) =>
  names.length <= 2 ? names.join(" and ") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;

function Writing({ names, what }: { names: string[]; what: string }) {
  return (
    <span className="inline-flex items-center gap-1.5 font-medium">
      <span className="flex gap-0.5" aria-hidden="true">
        {[0, 150, 300].map((delay) => (
          <span key={delay} className="size-1 animate-bounce rounded-full bg-sky-600" style={{ animationDelay: `${delay}ms` }} />
        ))}
      </span>
      {list(names)} {names.length === 1 ? "is" : "are"} {what}
    </span>
  );
}

/** Who else is in this conversation right now, so two people do not answer the same customer. */
export function PresenceBar({ conversationId, userId }: { conversationId: string; userId: string }) {
  const { viewers, typers, noteWriters } = usePresence(conversationId, userId);
  if (viewers.length === 0 && typers.length === 0 && noteWriters.length === 0) return null;
  return (
    <div
      role="status"
      aria-label="Teammates here"
      className="flex shrink-0 flex-wrap items-center gap-x-3 gap-y-1 border-t border-sky-200 bg-sky-50 px-3 py-1.5 text-xs text-sky-900 sm:px-4"
    >
      {typers.length > 0 ? <Writing names={typers} what="typing a reply" /> : null}
      {noteWriters.length > 0 ? <Writing names={noteWriters} what="writing a note" /> : null}
      {viewers.length > 0 ? (
        <span>
          {list(viewers)} {viewers.length === 1 ? "is" : "are"} viewing
        </span>
      ) : null}
    </div>
  );
}
