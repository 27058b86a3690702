"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { isApiError } from "@/lib/client/api";
import { redrawMessage } from "@/lib/client/conversation-cache";
import { explainSendError } from "@/lib/client/format";
import { queryKeys, settleFailedMessage } from "@/lib/client/queries";
import type { MessageDto } from "@/lib/client/types";

/**
 * Under a failed outbound bubble: what WhatsApp said in plain words, what to do, and, for a message
 * that never reached WhatsApp, Retry and Discard (one click each).
 */
export function MessageFailure({ message }: { message: MessageDto }) {
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const settle = useMutation({
    mutationFn: (action: "retry" | "discard") => settleFailedMessage(message.id, action),
    onSuccess: (settled) => {
      setProblem(null);
      redrawMessage(queryClient, message.conversationId, message.id, settled.message);
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversationLists });
    },
    onError: (error) => setProblem(isApiError(error, "CONFLICT") ? error.message : "That did not work; try again."),
  });
  const error = message.error;
  const { sentence, action } = error
    ? explainSendError(error)
    : { sentence: "WhatsApp did not deliver this message.", action: "" };
  const canSettle = message.wamid === null && (message.origin === "agent" || message.origin === "template");

  return (
    <div className="mt-0.5 max-w-[85%] px-1 text-right text-xs sm:max-w-[70%]" role="status">
      <p className="font-medium text-red-700">
        Failed: {sentence}
        {error?.code && error.code > 0 ? <span className="font-normal text-red-600/80"> ({error.code})</span> : null}
      </p>
      {action ? <p className="text-zinc-600">{action}</p> : null}
      {error?.details && error.code > 0 ? <p className="text-zinc-500">{error.details}</p> : null}
      {canSettle ? (
        <p className="mt-1 flex justify-end gap-2">
          <button
            type="button"
            disabled={settle.isPending}
            onClick={() => settle.mutate("retry")}
            className="rounded-md border border-zinc-300 bg-white px-2 py-0.5 font-medium text-zinc-800 hover:bg-zinc-50 disabled:opacity-50"
          >
            Retry
          </button>
          <button
            type="button"
            disabled={settle.isPending}
            onClick={() => settle.mutate("discard")}
            className="rounded-md px-2 py-0.5 font-medium text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 disabled:opacity-50"
          >
            Discard
          </button>
        </p>
      ) : null}
      {problem ? <p className="text-red-700">{problem}</p> : null}
    </div>
  );
}

/** Under a send whose answer was lost: WhatsApp's status webhook will settle it. */
export function MessageConfirming() {
  return (
    <p className="mt-0.5 max-w-[85%] px-1 text-right text-xs text-amber-700 sm:max-w-[70%]" role="status">
      Sent? Confirming with WhatsApp: the answer to this send was lost, so it is not sent again.
    </p>
  );
}
