"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import type { HealthCheck } from "@/lib/client/queries";

const labels: Record<string, string> = {
  database: "PostgreSQL",
  realtime: "Live updates (realtime)",
  worker: "Background worker",
  meta: "Meta Graph API",
};

const stateStyle: Record<string, { dot: string; text: string }> = {
  up: { dot: "bg-emerald-500", text: "Up" },
  configured: { dot: "bg-emerald-500", text: "Configured" },
  down: { dot: "bg-red-500", text: "Down" },
  unknown: { dot: "bg-zinc-400", text: "Unknown" },
};

/** The checks of `/api/health`, so an admin sees at once whether webhooks can be applied. */
export function HealthChecks({
  health,
}: {
  health: UseQueryResult<{ status: "ok" | "degraded"; checks: Record<string, HealthCheck> }>;
}) {
  return (
    <section aria-labelledby="health-title" className="rounded-xl border border-zinc-200 bg-white p-4 shadow-xs">
      <div className="flex items-baseline justify-between gap-2">
        <h2 id="health-title" className="text-sm font-semibold text-zinc-900">
          System health
        </h2>
        {health.data ? (
          <span className={`text-xs font-medium ${health.data.status === "ok" ? "text-emerald-700" : "text-red-700"}`}>
            {health.data.status === "ok" ? "All systems up" : "Degraded"}
          </span>
        ) : null}
      </div>
      {health.isError ? (
        <p className="mt-2 text-sm text-red-700">Health could not be read: {health.error.message}</p>
      ) : (
        <ul className="mt-2 grid gap-2 sm:grid-cols-2 lg:grid-cols-4">
          {Object.entries(health.data?.checks ?? {}).map(([name, check]) => {
            const style = stateStyle[check.state] ?? stateStyle.unknown!;
            const mode =
              name === "meta" && typeof check.mode === "string" ? ` · ${check.mode === "sandbox" ? "sandbox" : "Meta"}` : "";
            return (
              <li key={name} className="flex items-center gap-2 rounded-lg bg-zinc-50 px-3 py-2 text-sm">
                <span className={`size-2 shrink-0 rounded-full ${style.dot}`} aria-hidden="true" />
                <span className="min-w-0 flex-1 truncate text-zinc-800">{labels[name] ?? name}</span>
                <span className="text-xs text-zinc-600">
                  {style.text}
                  {mode}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
