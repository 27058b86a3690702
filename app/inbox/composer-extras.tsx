"use client";

import { useEffect, useId, useMemo, useRef, useState } from "react";
import { CloseIcon, FileIcon, ImageIcon, SmileIcon } from "@/components/ui/icons";

const MB = 1024 * 1024;

/** What WhatsApp accepts from the composer, checked before uploading (the server checks again). */
const accepted: Record<string, number> = {
  "image/jpeg": 5 * MB,
  "image/png": 5 * MB,
  "application/pdf": 100 * MB,
  "text/plain": 100 * MB,
};

export function checkAttachment(file: File): string | null {
  const max = accepted[file.type];
  if (max === undefined) return `${file.name} cannot be sent: WhatsApp takes JPEG or PNG photos, PDF or text documents.`;
  if (file.size > max)
    return `${file.name} is ${(file.size / MB).toFixed(1)} MB; WhatsApp takes up to ${max / MB} MB for this type.`;
  if (file.size === 0) return `${file.name} is empty.`;
  return null;
}

export function AttachButton({ onFile, disabled }: { onFile: (file: File) => void; disabled: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  return (
    <>
      <input
        id={id}
        ref={input}
        type="file"
        accept={Object.keys(accepted).join(",")}
        className="sr-only"
        tabIndex={-1}
        aria-label="Photo or document"
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) onFile(file);
          event.target.value = "";
        }}
      />
      <button
        type="button"
        disabled={disabled}
        onClick={() => input.current?.click()}
        aria-label="Attach a photo or document"
        title="Attach a photo or document"
        className="inline-flex size-10 shrink-0 items-center justify-center rounded-xl text-zinc-600 hover:bg-zinc-100 disabled:opacity-50"
      >
        <ImageIcon className="size-5" />
      </button>
    </>
  );
}

export function AttachmentChip({ file, onRemove }: { file: File; onRemove: () => void }) {
  const isImage = file.type.startsWith("image/");
  const url = useMemo(() => (isImage ? URL.createObjectURL(file) : null), [file, isImage]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  return (
    <div className="mb-2 flex items-center gap-2 rounded-lg border border-zinc-200 bg-zinc-50 p-1.5 pr-2 text-sm">
      {url ? (
        // biome-ignore lint/performance/noImgElement: a local preview of the file being attached
        <img src={url} alt="" className="size-12 shrink-0 rounded object-cover" />
      ) : (
        <FileIcon className="size-8 shrink-0 text-zinc-500" />
      )}
      <p className="min-w-0 flex-1">
        <span className="block truncate font-medium text-zinc-800">{file.name}</span>
        <span className="text-xs text-zinc-500">
          {isImage ? "Photo" : "Document"} · {Math.max(1, Math.round(file.size / 1024))} KB · the text below becomes its caption
        </span>
      </p>
      <button
        type="button"
        onClick={onRemove}
        aria-label={`Remove ${file.name}`}
        className="inline-flex size-7 shrink-0 items-center justify-center rounded text-zinc-500 hover:bg-zinc-200"
      >
        <CloseIcon className="size-4" />
      </button>
    </div>
  );
}

const emojis = ["😀", "😂", "😊", "😍", "🙏", "👍", "👌", "🎉", "❤️", "🙌", "😅", "🤔", "😢", "🔥", "✅", "📦"];

/** A small palette of common emoji; the system keyboard (Win+. / Ctrl+Cmd+Space) offers the rest. */
export function EmojiButton({ onPick }: { onPick: (emoji: string) => void }) {
  const [isOpen, setOpen] = useState(false);
  const menuId = useId();
  return (
    <div className="relative">
      <button
        type="button"
        aria-label="Insert emoji"
        aria-expanded={isOpen}
        aria-controls={menuId}
        onClick={() => setOpen((open) => !open)}
        className="inline-flex size-10 shrink-0 items-center justify-center rounded-xl text-zinc-600 hover:bg-zinc-100"
      >
        <SmileIcon className="size-5" />
      </button>
      {isOpen ? (
        <div
          id={menuId}
          role="menu"
          aria-label="Emoji"
          className="absolute bottom-11 left-0 z-20 grid w-56 grid-cols-8 gap-0.5 rounded-xl border border-zinc-200 bg-white p-1.5 shadow-lg"
        >
          {emojis.map((emoji) => (
            <button
              key={emoji}
              type="button"
              role="menuitem"
              onClick={() => {
                onPick(emoji);
                setOpen(false);
              }}
              className="rounded-md p-1 text-lg hover:bg-zinc-100"
            >
              {emoji}
            </button>
          ))}
          <button type="button" aria-label="Close emoji" onClick={() => setOpen(false)} className="sr-only">
            <CloseIcon />
          </button>
        </div>
      ) : null}
    </div>
  );
}
