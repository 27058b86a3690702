"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { SmileIcon } from "@/components/ui/icons";
import { newClientKey } from "@/lib/client/client-key";
import { redrawMessage } from "@/lib/client/conversation-cache";
import { sendReaction } from "@/lib/client/queries";
import type { MessageDto } from "@/lib/client/types";

const reactions = ["👍", "❤️", "😂", "😮", "😢", "🙏"];

/**
 * Beside a bubble: react to it as the business (WhatsApp keeps one reaction per side, so a new one
 * replaces the last), or remove the reaction. The send goes through the outbound queue.
 */
export function ReactionPicker({ message }: { message: MessageDto }) {
  const queryClient = useQueryClient();
  const [isOpen, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const menuId = useId();
  const current = message.reactions?.find((r) => r.reactor === "business")?.emoji ?? null;
  const react = useMutation({
    mutationFn: (emoji: string) => sendReaction(message.id, { clientKey: newClientKey(), emoji }),
    onSuccess: ({ target }) => {
      setProblem(null);
      if (target) redrawMessage(queryClient, message.conversationId, message.id, target);
    },
    onError: (error) => setProblem(error.message),
  });
  const pick = (emoji: string) => {
    setOpen(false);
    react.mutate(emoji);
  };

  return (
    <div className="relative">
      <button
        type="button"
        onClick={() => setOpen((open) => !open)}
        aria-label="React to this message"
        aria-expanded={isOpen}
        aria-controls={menuId}
        title="React"
        disabled={react.isPending}
        className={`inline-flex size-7 shrink-0 items-center justify-center rounded-full text-zinc-500 group-hover/bubble:opacity-100 hover:bg-white/80 hover:text-zinc-800 focus-visible:opacity-100 ${
          isOpen ? "opacity-100" : "opacity-0"
        }`}
      >
        <SmileIcon className="size-4" />
      </button>
      {isOpen ? (
        <div
          id={menuId}
          role="menu"
          aria-label="Reactions"
          className="absolute bottom-8 left-1/2 z-20 flex -translate-x-1/2 items-center gap-0.5 rounded-full border border-zinc-200 bg-white p-1 shadow-lg"
        >
          {reactions.map((emoji) => (
            <button
              key={emoji}
              type="button"
              role="menuitem"
              aria-label={`React ${emoji}`}
              onClick={() => pick(emoji)}
              className={`rounded-full px-1.5 py-0.5 text-lg hover:bg-zinc-100 ${emoji === current ? "bg-emerald-50 ring-1 ring-emerald-300" : ""}`}
            >
              {emoji}
            </button>
          ))}
          {current ? (
            <button
              type="button"
              role="menuitem"
              onClick={() => pick("")}
              className="rounded-full px-2 py-1 text-xs font-medium whitespace-nowrap text-zinc-600 hover:bg-zinc-100"
            >
              Remove
            </button>
          ) : null}
        </div>
      ) : null}
      {problem ? (
        <p role="alert" className="absolute top-8 z-20 w-56 rounded-md bg-white p-2 text-xs text-red-700 shadow-md">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
