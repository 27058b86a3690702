"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { CloseIcon } from "@/components/ui/icons";
import { formatBytes } from "@/lib/client/format";
import { webhookEventPayloadQuery } from "@/lib/client/queries";

/** The body as stored, indented when it is JSON (a cut body is shown as the bytes it has). */
function readable(body: string) {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** The raw webhook body Meta sent, read-only, in a modal dialog. */
export function PayloadDialog({ eventId, onClose }: { eventId: number; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const payload = useQuery(webhookEventPayloadQuery(eventId));
  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
  }, []);
  const titleId = `payload-title-${eventId}`;

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the click only catches the backdrop; Escape closes a modal dialog natively
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(event) => {
        if (event.target === dialog.current) dialog.current.close();
      }}
      className="m-auto flex max-h-[85dvh] w-[min(56rem,calc(100vw-2rem))] flex-col rounded-xl bg-white p-0 shadow-xl backdrop:bg-black/40"
    >
      <header className="flex items-start justify-between gap-4 border-b border-zinc-200 px-5 py-3">
        <div>
          <h2 id={titleId} className="text-base font-semibold text-zinc-900">
            Payload of event #{eventId}
          </h2>
          <p className="mt-0.5 text-xs text-zinc-500">
            The body exactly as Meta signed it
            {payload.data ? ` · ${formatBytes(payload.data.byteSize) ?? "0 B"}` : ""}
            {payload.data?.truncated ? " · showing the first 256 KB" : ""}
          </p>
        </div>
        <button
          type="button"
          onClick={() => dialog.current?.close()}
          className="rounded-md p-1.5 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800"
          aria-label="Close"
        >
          <CloseIcon className="size-4" />
        </button>
      </header>
      <div className="min-h-0 flex-1 overflow-auto bg-zinc-50">
        {payload.isPending ? (
          <p className="p-5 text-sm text-zinc-500">Loading the payload…</p>
        ) : payload.isError ? (
          <p role="alert" className="p-5 text-sm text-red-700">
            The payload could not be loaded: {payload.error.message}
          </p>
        ) : (
          <pre className="p-5 font-mono text-xs leading-relaxed whitespace-pre-wrap break-all text-zinc-800">
            {readable(payload.data.body)}
          </pre>
        )}
      </div>
    </dialog>
  );
}
