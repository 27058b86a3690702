"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type KeyboardEvent, useLayoutEffect, useRef, useState } from "react";
import { CloseIcon, ReplyIcon, SendIcon } from "@/components/ui/icons";
import { isApiError } from "@/lib/client/api";
import { newClientKey } from "@/lib/client/client-key";
import { queryKeys, sendMediaMessage, sendTextMessage } from "@/lib/client/queries";
import { useTypingReporter } from "@/lib/client/use-presence";
import { hasWhatsAppFormatting, WhatsAppText } from "@/lib/client/whatsapp-format";
import { AttachButton, AttachmentChip, checkAttachment, EmojiButton } from "./composer-extras";
import { useDraft } from "./use-draft";
import { useReplyCollision } from "./use-reply-collision";

const MAX_LENGTH = 4096;
const MAX_CAPTION = 1024;

/** The message an agent is replying to (WhatsApp's `context`), shown above the box. */
export type ReplyTarget = { wamid: string; author: string; excerpt: string };

/** Grows the box with its text up to a few lines, then it scrolls. */
function fitToText(el: HTMLTextAreaElement | null, text: string) {
  if (!el) return;
  el.style.height = "auto";
  el.style.height = text ? `${Math.min(el.scrollHeight, 176)}px` : "";
}

export function Composer({
  conversationId,
  userId,
  replyTo,
  onClearReply,
  onSent,
}: {
  conversationId: string;
  userId: string;
  replyTo: ReplyTarget | null;
  onClearReply: () => void;
  onSent: () => void;
}) {
  const queryClient = useQueryClient();
  const [text, setText] = useDraft(conversationId);
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A retry of the same failed submission reuses its key, so a send that did reach the server is not repeated.
  const failed = useRef<{ signature: string; clientKey: string } | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const typing = useTypingReporter(conversationId);
  const { collision, dismiss } = useReplyCollision(conversationId, text, userId);
  const send = useMutation({
    mutationFn: (input: { clientKey: string; text: string; file: File | null; replyToWamid?: string }) =>
      input.file
        ? sendMediaMessage(conversationId, {
            clientKey: input.clientKey,
            caption: input.text,
            file: input.file,
            replyToWamid: input.replyToWamid,
          })
        : sendTextMessage(conversationId, { clientKey: input.clientKey, text: input.text, replyToWamid: input.replyToWamid }),
  });

  useLayoutEffect(() => fitToText(textarea.current, text), [text]);

  async function submit() {
    const value = text;
    if ((!value.trim() && !file) || send.isPending) return;
    const signature = JSON.stringify([value, file?.name, file?.size, replyTo?.wamid]);
    const clientKey = failed.current?.signature === signature ? failed.current.clientKey : newClientKey();
    setError(null);
    try {
      await send.mutateAsync({ clientKey, text: value, file, replyToWamid: replyTo?.wamid });
    } catch (e) {
      failed.current = { signature, clientKey };
      setError(e instanceof Error ? e.message : "The message could not be sent.");
      if (isApiError(e, "WINDOW_CLOSED") || isApiError(e, "NUMBER_UNAVAILABLE")) {
        // The picker or notice that replaces the composer explains what to do next.
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
    setFile(null);
    onClearReply();
    textarea.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
    if (event.key === "Escape" && replyTo) onClearReply();
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void submit();
  }

  function attach(chosen: File) {
    const problem = checkAttachment(chosen);
    setError(problem);
    if (!problem) setFile(chosen);
  }

  function insert(emoji: string) {
    const el = textarea.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    setText(text.slice(0, start) + emoji + text.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + emoji.length, start + emoji.length);
    });
  }

  const limit = file ? MAX_CAPTION : MAX_LENGTH;
  const isTooLong = text.length > limit;
  const canSend = (text.trim().length > 0 || file !== null) && !isTooLong && !send.isPending;

  return (
    <form onSubmit={onSubmit} aria-label="Reply" className="shrink-0 border-t border-zinc-200 bg-white px-3 py-2.5 sm:px-4">
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
      {replyTo ? (
        <div className="mb-2 flex items-start gap-2 rounded-lg border-l-4 border-emerald-600 bg-zinc-50 px-3 py-1.5 text-sm">
          <ReplyIcon className="mt-0.5 size-4 shrink-0 text-emerald-700" />
          <p className="min-w-0 flex-1">
            <span className="block text-xs font-semibold text-emerald-800">Replying to {replyTo.author}</span>
            <span className="block truncate text-zinc-700">{replyTo.excerpt}</span>
          </p>
          <button
            type="button"
            onClick={onClearReply}
            aria-label="Cancel reply"
            className="inline-flex size-6 shrink-0 items-center justify-center rounded text-zinc-500 hover:bg-zinc-200"
          >
            <CloseIcon className="size-4" />
          </button>
        </div>
      ) : null}
      {file ? <AttachmentChip file={file} onRemove={() => setFile(null)} /> : null}
      <div className="flex items-end gap-1.5">
        <AttachButton onFile={attach} disabled={send.isPending} />
        <EmojiButton onPick={insert} />
        <label htmlFor={`composer-${conversationId}`} className="sr-only">
          {file ? "Caption" : "Message"}
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
          onPaste={(event) => {
            const pasted = event.clipboardData.files[0];
            if (pasted) {
              event.preventDefault();
              attach(pasted);
            }
          }}
          placeholder={file ? "Add a caption" : "Write a reply"}
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
      {hasWhatsAppFormatting(text) ? (
        <div
          role="note"
          aria-label="Formatting preview"
          className="mt-1.5 rounded-lg bg-zinc-50 px-3 py-1 text-sm break-words whitespace-pre-wrap text-zinc-800"
        >
          <span className="mr-1.5 text-[11px] font-medium text-zinc-400 uppercase">Preview</span>
          <WhatsAppText text={text} />
        </div>
      ) : null}
      <p id={`composer-hint-${conversationId}`} className="mt-1 flex justify-between px-1 text-[11px] text-zinc-600">
        <span className="max-sm:hidden">Enter to send · Shift+Enter for a new line · *bold* _italic_ ~strike~ `code`</span>
        {text.length > limit - 500 ? (
          <span className={isTooLong ? "font-medium text-red-700" : ""}>
            {text.length}/{limit}
          </span>
        ) : null}
      </p>
    </form>
  );
}
