"use client";

import { useQuery } from "@tanstack/react-query";
import { healthQuery, numberOverviewQuery } from "@/lib/client/queries";
import type { SignupLaunchConfig } from "@/lib/client/use-embedded-signup";
import { useRealtime } from "@/lib/client/use-realtime";
import { ConnectNumber } from "./connect-number";
import { HealthChecks } from "./health-checks";
import { NumberCard } from "./number-card";

/** While the socket is down, poll so progress keeps moving; the realtime hook catches up on reconnect. */
const FALLBACK_POLL_MS = 15_000;

export function NumbersSettings({
  userId,
  isDemo,
  signup,
  missingSetting,
}: {
  userId: string;
  isDemo: boolean;
  signup: SignupLaunchConfig;
  missingSetting: string | null;
}) {
  const { status: realtime } = useRealtime(null, userId);
  const overview = useQuery({ ...numberOverviewQuery(), refetchInterval: realtime === "live" ? false : FALLBACK_POLL_MS });
  const health = useQuery(healthQuery());
  const numbers = overview.data?.numbers ?? [];

  return (
    <main className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold text-zinc-900">Numbers</h1>
          <p className="mt-1 max-w-2xl text-sm text-zinc-600">
            WhatsApp Business app numbers connected to Tandem. The owner keeps using the app on the phone; agents answer here, and
            both see one history.
          </p>
        </div>
        <span
          role="status"
          className="inline-flex items-center gap-1.5 text-xs text-zinc-500"
          title="Progress appears as it arrives while this is live."
        >
          <span
            className={`size-2 rounded-full ${realtime === "live" ? "bg-emerald-500" : realtime === "connecting" ? "bg-zinc-400" : "bg-amber-500"}`}
            aria-hidden="true"
          />
          {realtime === "live" ? "Live" : realtime === "connecting" ? "Connecting…" : "Refreshing every 15 s"}
        </span>
      </header>

      <ConnectNumber isDemo={isDemo} signup={signup} missingSetting={missingSetting} />

      <section aria-labelledby="connected-numbers" className="space-y-4">
        <h2 id="connected-numbers" className="text-sm font-semibold text-zinc-900">
          Connected numbers{overview.data ? ` (${numbers.length})` : ""}
        </h2>
        {overview.isPending ? (
          <div className="h-40 animate-pulse rounded-xl border border-zinc-200 bg-white" aria-hidden="true" />
        ) : overview.isError ? (
          <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            Numbers could not be loaded: {overview.error.message}
          </p>
        ) : numbers.length === 0 ? (
          <p className="rounded-xl border border-dashed border-zinc-300 bg-white px-4 py-8 text-center text-sm text-zinc-600">
            No number is connected yet. Connect the business's WhatsApp Business app number above.
          </p>
        ) : (
          numbers.map((number) => <NumberCard key={number.id} number={number} staleAfterMs={overview.data.historyStaleAfterMs} />)
        )}
      </section>

      <HealthChecks health={health} />
    </main>
  );
}
