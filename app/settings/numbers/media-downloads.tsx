"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { queryKeys, retryFailedMediaDownloads } from "@/lib/client/queries";
import type { NumberOverviewDto } from "@/lib/client/types";

/**
 * Customers' files that could not be downloaded from WhatsApp after every retry (or whose number's
 * token was replaced since): an admin can try them all again.
 */
export function MediaDownloads({ number }: { number: NumberOverviewDto }) {
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () => retryFailedMediaDownloads(number.id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.numberOverview }),
  });
  const failed = number.failedMediaDownloads;
  return (
    <section aria-label="Media downloads" className="border-t border-zinc-100 px-4 py-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <h4 className="text-sm font-semibold text-zinc-900">Media downloads</h4>
          <p className="mt-1 text-sm text-zinc-700" aria-live="polite">
            {retry.isSuccess
              ? `${retry.data.requeued} ${retry.data.requeued === 1 ? "download" : "downloads"} queued again.`
              : failed
                ? `${failed} ${failed === 1 ? "file" : "files"} could not be downloaded from WhatsApp.`
                : "Every file received so far was downloaded (or is still being retried)."}
          </p>
          {retry.isError ? <p className="mt-1 text-sm text-red-700">{retry.error.message}</p> : null}
        </div>
        {failed ? (
          <Button variant="secondary" onClick={() => retry.mutate()} disabled={retry.isPending}>
            {retry.isPending ? "Queuing…" : "Retry failed downloads"}
          </Button>
        ) : null}
      </div>
    </section>
  );
}
