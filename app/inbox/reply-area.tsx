"use client";

import { useState } from "react";
import { LockIcon } from "@/components/ui/icons";
import type { NumberNotice, WindowState } from "@/lib/client/format";
import type { ConversationDto, NumberDto } from "@/lib/client/types";
import { Composer, type ReplyTarget } from "./composer";
import { TemplatePicker } from "./template-picker";

/** The name to greet the customer by: none when they are known only by their number. */
const customerNameOf = (conversation: ConversationDto) =>
  conversation.contact.nameSource === "number" ? null : conversation.contact.displayName;

/**
 * What the agent can send right now, under the thread: nothing on a read-only number, the template
 * picker when the window is closed (the free-text draft waits untouched), the composer otherwise.
 */
export function ReplyArea({
  conversation,
  userId,
  number,
  numberNotice,
  windowState,
  replyTo,
  onClearReply,
  onSend,
}: {
  conversation: ConversationDto;
  userId: string;
  number: NumberDto | undefined;
  numberNotice: NumberNotice | null;
  windowState: WindowState | null;
  replyTo: ReplyTarget | null;
  onClearReply: () => void;
  onSend: () => void;
}) {
  const [isWritingNote, setWritingNote] = useState(false);
  const composer = (onLeaveNote?: () => void) => (
    <Composer
      conversationId={conversation.id}
      numberId={conversation.numberId}
      customerName={customerNameOf(conversation)}
      userId={userId}
      replyTo={replyTo}
      onClearReply={onClearReply}
      onSend={onSend}
      onLeaveNote={onLeaveNote}
    />
  );
  if (numberNotice && !numberNotice.canSend) {
    return (
      <div
        role="note"
        className={`flex shrink-0 items-start gap-3 border-t px-4 py-3 text-sm ${
          numberNotice.tone === "blocked"
            ? "border-red-200 bg-red-50 text-red-900"
            : "border-amber-200 bg-amber-50 text-amber-900"
        }`}
      >
        <LockIcon className="mt-0.5 size-4 shrink-0" />
        <p>
          <span className="font-semibold">Read-only: </span>
          {number?.state === "offboarded"
            ? "replies are paused until Meta reconnects this number."
            : "replies cannot be sent from this number. Its conversations stay readable."}
        </p>
      </div>
    );
  }
  if (windowState && !windowState.isOpen) {
    // Notes are not sent to WhatsApp, so the closed window does not stop them.
    if (isWritingNote) return composer(() => setWritingNote(false));
    return (
      <>
        <TemplatePicker
          conversationId={conversation.id}
          numberId={conversation.numberId}
          customerName={customerNameOf(conversation)}
          reason={windowState.reason}
          onSend={onSend}
        />
        <div className="shrink-0 border-t border-zinc-100 bg-white px-4 py-1.5">
          <button
            type="button"
            onClick={() => setWritingNote(true)}
            className="text-xs font-medium text-amber-900 underline underline-offset-2 hover:text-amber-950"
          >
            Write a note for the team
          </button>
        </div>
      </>
    );
  }
  return composer();
}
