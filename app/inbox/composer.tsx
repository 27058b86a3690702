"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type KeyboardEvent, useId, useLayoutEffect, useRef, useState } from "react";
import { CloseIcon, ReplyIcon, SendIcon } from "@/components/ui/icons";
import { isApiError } from "@/lib/client/api";
import { newClientKey } from "@/lib/client/client-key";
import { addNote, queryKeys, sendMediaMessage, sendTextMessage } from "@/lib/client/queries";
import { refreshThread } from "@/lib/client/thread-refresh";
import { useMediaQuery } from "@/lib/client/use-media-query";
import { useTypingReporter } from "@/lib/client/use-presence";
import { hasWhatsAppFormatting, WhatsAppText } from "@/lib/client/whatsapp-format";
import { AttachButton, AttachmentChip, checkAttachment, EmojiButton } from "./composer-extras";
import { SuggestionList, useSuggestions } from "./composer-suggestions";
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

/** Reply goes to the customer on WhatsApp; Note stays in Tandem, for the team. */
function ModeSwitch({ isNote, onChange }: { isNote: boolean; onChange: (isNote: boolean) => void }) {
  const name = useId();
  const option = (value: boolean, label: string) => (
    <label
      className={`cursor-pointer rounded-md px-2.5 py-0.5 text-xs font-medium has-focus-visible:ring-2 has-focus-visible:ring-emerald-600 ${
        isNote === value
          ? value
            ? "bg-amber-100 text-amber-950"
            : "bg-emerald-50 text-emerald-900"
          : "text-zinc-600 hover:bg-zinc-100"
      }`}
    >
      <input type="radio" name={name} checked={isNote === value} onChange={() => onChange(value)} className="sr-only" />
      {label}
    </label>
  );
  return (
    <div role="radiogroup" aria-label="Write a" className="mb-1.5 flex gap-1">
      {option(false, "Reply")}
      {option(true, "Note")}
    </div>
  );
}

function placeholderOf({ isNote, hasFile, isNarrow }: { isNote: boolean; hasFile: boolean; isNarrow: boolean }) {
  if (isNote) return isNarrow ? "Note for your team" : "Write a note only your team sees; @ mentions a teammate";
  if (hasFile) return "Add a caption";
  return isNarrow ? "Write a reply" : "Write a reply; / for canned replies";
}

export function Composer({
  conversationId,
  numberId,
  customerName,
  userId,
  replyTo,
  onClearReply,
  onSend,
  onLeaveNote,
}: {
  /** Given while the window is closed: the composer only writes notes, and this goes back to templates. */
  onLeaveNote?: () => void;
  conversationId: string;
  numberId: string;
  /** The customer's name for canned replies' variables; null when they are known only by their number. */
  customerName: string | null;
  userId: string;
  replyTo: ReplyTarget | null;
  onClearReply: () => void;
  /** Called as a send starts: the log then follows the new bubble, which may come live before the send answers. */
  onSend: () => void;
}) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isNote, setNote] = useState(onLeaveNote !== undefined);
  // Separate drafts: switching to Reply never carries a private note's text towards the customer.
  const [replyText, setReplyText] = useDraft(conversationId, "reply");
  const [noteText, setNoteText] = useDraft(conversationId, "note");
  const [text, setText] = isNote ? [noteText, setNoteText] : [replyText, setReplyText];
  const [caret, setCaret] = useState(0);
  // Phones have no room for the shortcut hints (the hint line under the box is hidden there too).
  const isNarrow = useMediaQuery("(max-width: 639px)");
  const suggestions = useSuggestions({ text, caret, isNote, numberId, customerName });
  const listId = useId();
  // A retry of the same failed submission reuses its key, so a send that did reach the server is not repeated.
  const failed = useRef<{ signature: string; clientKey: string } | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const typing = useTypingReporter(conversationId);
  const { collision, dismiss } = useReplyCollision(conversationId, replyText, userId);
  const send = useMutation({
    mutationFn: (input: { clientKey: string; text: string; file: File | null; replyToWamid?: string; isNote: boolean }) =>
      input.isNote
        ? addNote(conversationId, { clientKey: input.clientKey, text: input.text })
        : input.file
          ? sendMediaMessage(conversationId, {
              clientKey: input.clientKey,
              caption: input.text,
              file: input.file,
              replyToWamid: input.replyToWamid,
            })
          : sendTextMessage(conversationId, { clientKey: input.clientKey, text: input.text, replyToWamid: input.replyToWamid }),
  });

  // Where the caret goes once a text the composer changed itself (a picked mention or canned reply,
  // an emoji) is drawn: before the browser takes another key, so what is typed next lands there.
  const caretAfterDraw = useRef<number | null>(null);
  useLayoutEffect(() => {
    fitToText(textarea.current, text);
    const at = caretAfterDraw.current;
    caretAfterDraw.current = null;
    if (at === null || !textarea.current) return;
    textarea.current.focus();
    textarea.current.setSelectionRange(at, at);
    setCaret(at);
  }, [text]);

  async function submit() {
    const value = text;
    const clear = setText;
    const sentFile = isNote ? null : file;
    if ((!value.trim() && !sentFile) || send.isPending) return;
    const signature = JSON.stringify([isNote, value, sentFile?.name, sentFile?.size, replyTo?.wamid]);
    const clientKey = failed.current?.signature === signature ? failed.current.clientKey : newClientKey();
    setError(null);
    onSend();
    try {
      await send.mutateAsync({
        clientKey,
        text: value,
        file: sentFile,
        replyToWamid: isNote ? undefined : replyTo?.wamid,
        isNote,
      });
    } catch (e) {
      failed.current = { signature, clientKey };
      setError(e instanceof Error ? e.message : `The ${isNote ? "note" : "message"} could not be saved.`);
      if (isApiError(e, "WINDOW_CLOSED") || isApiError(e, "NUMBER_UNAVAILABLE")) {
        // The picker or notice that replaces the composer explains what to do next.
        void queryClient.invalidateQueries({ queryKey: queryKeys.conversation(conversationId) });
        void queryClient.invalidateQueries({ queryKey: queryKeys.numbers });
      }
      return;
    }
    failed.current = null;
    typing.stop();
    // Clear the box when the bubble is on screen, not before: no gap, no jump.
    await refreshThread(queryClient, conversationId);
    void queryClient.invalidateQueries({ queryKey: queryKeys.conversationLists });
    clear("");
    if (!isNote) {
      setFile(null);
      onClearReply();
    }
    textarea.current?.focus();
  }

  function pick(index: number) {
    const option = suggestions.options[index];
    if (!option) return;
    const next = suggestions.apply(option);
    caretAfterDraw.current = next.caret;
    setText(next.text);
    typing.report(next.text, isNote ? "note" : "reply");
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (suggestions.isOpen && !event.nativeEvent.isComposing) {
      const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
      if (step) {
        event.preventDefault();
        suggestions.move(step);
        return;
      }
      if ((event.key === "Enter" && !event.shiftKey) || event.key === "Tab") {
        event.preventDefault();
        pick(suggestions.active);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        suggestions.dismiss();
        return;
      }
    }
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
    caretAfterDraw.current = start + emoji.length;
    setText(text.slice(0, start) + emoji + text.slice(end));
  }

  const hasFile = !isNote && file !== null;
  const limit = hasFile ? MAX_CAPTION : MAX_LENGTH;
  const isTooLong = text.length > limit;
  const canSend = (text.trim().length > 0 || hasFile) && !isTooLong && !send.isPending;

  return (
    <form
      onSubmit={onSubmit}
      aria-label="Reply"
      className={`shrink-0 border-t px-3 py-2.5 sm:px-4 ${isNote ? "border-amber-200 bg-amber-50/70" : "border-zinc-200 bg-white"}`}
    >
      {onLeaveNote ? (
        <p className="mb-1.5 flex items-center gap-2 text-xs font-medium text-amber-950">
          Note for the team
          <button type="button" onClick={onLeaveNote} className="font-normal text-zinc-700 underline underline-offset-2">
            Back to templates
          </button>
        </p>
      ) : (
        <ModeSwitch
          isNote={isNote}
          onChange={(toNote) => {
            setNote(toNote);
            // Teammates see the switch at once: a note is not a reply about to reach the customer.
            typing.report(toNote ? noteText : replyText, toNote ? "note" : "reply");
          }}
        />
      )}
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
      {replyTo && !isNote ? (
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
      {hasFile && file ? <AttachmentChip file={file} onRemove={() => setFile(null)} /> : null}
      <div className="relative flex items-end gap-1.5">
        {suggestions.isOpen ? (
          <SuggestionList
            id={listId}
            label={suggestions.kind === "mention" ? "Teammates to mention" : "Canned replies"}
            options={suggestions.options}
            active={suggestions.active}
            onPick={(option) => pick(suggestions.options.indexOf(option))}
            onHover={suggestions.setActive}
          />
        ) : null}
        {isNote ? null : <AttachButton onFile={attach} disabled={send.isPending} />}
        <EmojiButton onPick={insert} />
        <label htmlFor={`composer-${conversationId}`} className="sr-only">
          {isNote ? "Note" : hasFile ? "Caption" : "Message"}
        </label>
        <textarea
          dir="auto"
          id={`composer-${conversationId}`}
          ref={textarea}
          rows={1}
          value={text}
          readOnly={send.isPending}
          aria-busy={send.isPending}
          aria-describedby={`composer-hint-${conversationId}`}
          aria-controls={suggestions.isOpen ? listId : undefined}
          aria-activedescendant={suggestions.isOpen ? `${listId}-${suggestions.active}` : undefined}
          onChange={(event) => {
            setText(event.target.value);
            setCaret(event.target.selectionStart);
            typing.report(event.target.value, isNote ? "note" : "reply");
          }}
          onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
          onBlur={typing.stop}
          onKeyDown={onKeyDown}
          onPaste={(event) => {
            const pasted = event.clipboardData.files[0];
            if (pasted) {
              event.preventDefault();
              attach(pasted);
            }
          }}
          placeholder={placeholderOf({ isNote, hasFile, isNarrow })}
          className={`block max-h-44 min-h-10 flex-1 resize-none rounded-xl border px-3 ${isNote ? "border-amber-300 bg-amber-50" : "border-zinc-300 bg-white"} py-2 text-sm leading-5 placeholder:truncate placeholder:text-zinc-400 focus:border-emerald-600 focus:ring-2 focus:ring-emerald-100 focus:outline-none focus-visible:outline-none read-only:bg-zinc-50`}
        />
        <button
          type="submit"
          disabled={!canSend}
          aria-busy={send.isPending}
          className={`inline-flex h-10 shrink-0 items-center gap-1.5 rounded-xl px-3.5 ${isNote ? "bg-amber-700 hover:bg-amber-800" : "bg-emerald-700 hover:bg-emerald-800"} text-sm font-medium text-white shadow-sm transition-colors disabled:cursor-not-allowed disabled:bg-zinc-200 disabled:text-zinc-500 disabled:shadow-none`}
        >
          {send.isPending ? (
            <span className="size-4 animate-spin rounded-full border-2 border-zinc-400 border-t-transparent" aria-hidden="true" />
          ) : (
            <SendIcon className="size-4" />
          )}
          {isNote ? "Add note" : "Send"}
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
        <span className="max-sm:hidden">
          {isNote
            ? "Only your team sees notes; they never reach WhatsApp · Enter to add"
            : "Enter to send · Shift+Enter for a new line · *bold* _italic_ ~strike~ `code`"}
        </span>
        {text.length > limit - 500 ? (
          <span className={isTooLong ? "font-medium text-red-700" : ""}>
            {text.length}/{limit}
          </span>
        ) : null}
      </p>
    </form>
  );
}
