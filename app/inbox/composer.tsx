"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type KeyboardEvent, useEffect, useLayoutEffect, useRef, useState } from "react";
import { SendIcon } from "@/components/ui/icons";
import { isApiError } from "@/lib/client/api";
import { newClientKey } from "@/lib/client/client-key";
import { queryKeys, sendTextMessage } from "@/lib/client/queries";
import { useTypingReporter } from "@/lib/client/use-presence";
import { useReplyCollision } from "./use-reply-collision";

const MAX_LENGTH = 4096;
/** Unsent drafts per conversation, kept while the agent switches threads. */
const drafts = new Map<string, string>();

/** Grows the box with its text up to a few lines, then it scrolls. */
function fitToText(el: HTMLTextAreaElement | null, text: string) {
  if (!el) return;
  el.style.height = "auto";
  el.style.height = text ? `${Math.min(el.scrollHeight, 176)}px` : "";
}

export function Composer({ conversationId, userId, onSent }: { conversationId: string; userId: string; onSent: () => void }) {
  const queryClient = useQueryClient();
  const [text, setText] = useState(() => drafts.get(conversationId) ?? "");
  const [error, setError] = useState<string | null>(null);
  // A retry of the same failed text reuses its key, so a send that did reach the server is not repeated.
  const failed = useRef<{ text: string; clientKey: string } | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const typing = useTypingReporter(conversationId);
  const { collision, dismiss } = useReplyCollision(conversationId, text, userId);
  const send = useMutation({
    mutationFn: (input: { clientKey: string; text: string }) => sendTextMessage(conversationId, input),
  });

  useEffect(() => {
    if (text) drafts.set(conversationId, text);
    else drafts.delete(conversationId);
  }, [conversationId, text]);

  useLayoutEffect(() => fitToText(textarea.current, text), [text]);

  async function submit() {
    const value = text;
    if (!value.trim() || send.isPending) return;
    const clientKey = failed.current?.text === value ? failed.current.clientKey : newClientKey();
    setError(null);
    try {
      await send.mutateAsync({ clientKey, text: value });
    } catch (e) {
      failed.current = { text: value, clientKey };
      setError(e instanceof Error ? e.message : "The message could not be sent.");
      if (isApiError(e, "WINDOW_CLOSED") || isApiError(e, "NUMBER_UNAVAILABLE")) {
        // The notice that replaces the composer explains what to do next.
        void queryClient.invalidateQueries({ queryKey: queryKeys.conversation(conversationId) });
        void queryClient.invalidateQueries({ queryKey: queryKeys.numbers });
      }
      return;
    }
    failed.current = null;
    typing.stop();
    onSent();
    // Clear the box when the bubble is on screen, not before: no gap, no jump.
    await queryClient.invalidateQueries({ queryKey: queryKeys.messages(conversationId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.conversationLists });
    setText("");
    textarea.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void submit();
  }

  const isTooLong = text.length > MAX_LENGTH;
  const canSend = text.trim().length > 0 && !isTooLong && !send.isPending;

  return (
    <form onSubmit={onSubmit} className="shrink-0 border-t border-zinc-200 bg-white px-3 py-2.5 sm:px-4">
      {collision ? (
        <div
          role="alert"
          className="mb-2 flex items-start gap-2 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
        >
          <p className="min-w-0 flex-1">
            <span className="font-semibold">{collision.author} replied while you were writing</span>
            {collision.text ? <span className="block truncate text-amber-800">“{collision.text}”</span> : null}
          </p>
          <button
            type="button"
            onClick={dismiss}
            className="shrink-0 rounded px-1.5 py-0.5 text-xs font-medium underline underline-offset-2 hover:bg-amber-100"
          >
            Got it
          </button>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="mb-2 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          Not sent: {error}
        </p>
      ) : null}
      <div className="flex items-end gap-2">
        <label htmlFor={`composer-${conversationId}`} className="sr-only">
          Message
        </label>
        <textarea
          id={`composer-${conversationId}`}
          ref={textarea}
          rows={1}
          value={text}
          readOnly={send.isPending}
          aria-busy={send.isPending}
          aria-describedby={`composer-hint-${conversationId}`}
          onChange={(event) => {
            setText(event.target.value);
            typing.report(event.target.value);
          }}
          onBlur={typing.stop}
          onKeyDown={onKeyDown}
          placeholder="Write a reply"
          className="block max-h-44 min-h-10 flex-1 resize-none rounded-xl border border-zinc-300 bg-white px-3 py-2 text-sm leading-5 placeholder:text-zinc-400 focus:border-emerald-600 focus:ring-2 focus:ring-emerald-100 focus:outline-none focus-visible:outline-none read-only:bg-zinc-50"
        />
        <button
          type="submit"
          disabled={!canSend}
          aria-busy={send.isPending}
          className="inline-flex h-10 shrink-0 items-center gap-1.5 rounded-xl bg-emerald-700 px-3.5 text-sm font-medium text-white shadow-sm transition-colors hover:bg-emerald-800 disabled:cursor-not-allowed disabled:bg-zinc-200 disabled:text-zinc-500 disabled:shadow-none"
        >
          {send.isPending ? (
            <span className="size-4 animate-spin rounded-full border-2 border-zinc-400 border-t-transparent" aria-hidden="true" />
          ) : (
            <SendIcon className="size-4" />
          )}
          Send
        </button>
      </div>
      <p id={`composer-hint-${conversationId}`} className="mt-1 flex justify-between px-1 text-[11px] text-zinc-600">
        <span className="max-sm:hidden">Enter to send · Shift+Enter for a new line</span>
        {text.length > MAX_LENGTH - 500 ? (
          <span className={isTooLong ? "font-medium text-red-700" : ""}>
            {text.length}/{MAX_LENGTH}
          </span>
        ) : null}
      </p>
    </form>
  );
}
