"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { AlertIcon, CheckIcon, PhoneIcon } from "@/components/ui/icons";
import { apiFetch } from "@/lib/client/api";
import type { SignupError } from "@/lib/client/embedded-signup";
import { formatPhone } from "@/lib/client/format";
import { explainSyncFailure, UNCERTAIN_TEXT } from "@/lib/client/onboarding-format";
import { queryKeys } from "@/lib/client/queries";
import { type SignupLaunchConfig, useEmbeddedSignup } from "@/lib/client/use-embedded-signup";

const checklist = [
  { id: "version", text: "The phone runs the WhatsApp Business app, version 2.24.17 or newer." },
  { id: "age", text: "The number has been in active use in the WhatsApp Business app for at least 7 days." },
  {
    id: "effects",
    text: "The owner accepts what changes on the phone: group chats are not synced, broadcast lists become read-only, and view-once, disappearing messages and live location are turned off for 1:1 chats.",
  },
  { id: "throughput", text: "Sending through Tandem is limited to 20 messages per second for this number." },
  {
    id: "open",
    text: "The owner keeps the WhatsApp Business app open and online during the sync, which can take several minutes.",
  },
] as const;

type Completion = {
  number: {
    numberId: string;
    displayPhoneNumber: string;
    syncs: { kind: "contacts" | "history"; state: "accepted" | "failed" | "uncertain"; requestId?: string; errorCode?: number }[];
  };
};

type Phase =
  | { kind: "idle" }
  | { kind: "checklist" }
  | { kind: "popup" }
  | { kind: "completing" }
  | { kind: "done"; result: Completion["number"] }
  | { kind: "cancelled"; step: string | null; error: SignupError | null }
  | { kind: "failed"; message: string };

// Renew the one-time state before the server's 15-minute expiry while the checklist stays open.
const STATE_RENEW_MS = 10 * 60 * 1000;

/** "Connect a WhatsApp Business app number": the eligibility checklist, the popup, and the outcome. */
export function ConnectNumber({
  isDemo,
  signup,
  missingSetting,
}: {
  isDemo: boolean;
  signup: SignupLaunchConfig;
  missingSetting: string | null;
}) {
  const queryClient = useQueryClient();
  const { sdk, launch } = useEmbeddedSignup(signup);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const start = useMutation({
    mutationFn: () => apiFetch<{ state: string; expiresAt: string }>("/api/onboarding/start", { method: "POST" }),
  });
  const complete = useMutation({
    mutationFn: (body: { state: string; code: string; wabaId: string; phoneNumberId: string | null }) =>
      apiFetch<Completion>("/api/onboarding/complete", { method: "POST", body }),
  });
  const startState = start.mutate;

  const isChecklist = phase.kind === "checklist";
  useEffect(() => {
    if (!isChecklist) return;
    startState();
    const timer = setInterval(() => startState(), STATE_RENEW_MS);
    return () => clearInterval(timer);
  }, [isChecklist, startState]);

  const isEligible = checklist.every((item) => ticked.has(item.id));
  const state = start.data?.state;

  function onLaunch() {
    if (!state) return;
    setPhase({ kind: "popup" });
    // FB.login runs inside this click, or the browser blocks the popup.
    void launch().then(async (outcome) => {
      if (outcome.status === "cancelled") {
        setPhase({ kind: "cancelled", step: outcome.step, error: outcome.error });
        return;
      }
      setPhase({ kind: "completing" });
      try {
        const result = await complete.mutateAsync({
          state,
          code: outcome.code,
          wabaId: outcome.wabaId,
          phoneNumberId: outcome.phoneNumberId,
        });
        setPhase({ kind: "done", result: result.number });
      } catch (error) {
        setPhase({ kind: "failed", message: error instanceof Error ? error.message : String(error) });
      } finally {
        void queryClient.invalidateQueries({ queryKey: queryKeys.numbers });
      }
    });
  }

  const restart = () => {
    start.reset();
    setPhase({ kind: "checklist" });
  };

  if (phase.kind === "idle") {
    return (
      <section aria-label="Connect a number" className="rounded-xl border border-zinc-200 bg-white p-4 shadow-xs">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="max-w-xl text-sm text-zinc-600">
            Bring an existing WhatsApp Business app number into Tandem through Meta's Embedded Signup. Contacts and up to six
            months of chats are shared once, right after connecting.
          </p>
          <Button onClick={() => setPhase({ kind: "checklist" })} disabled={missingSetting !== null}>
            <PhoneIcon className="size-4" />
            Connect a WhatsApp Business app number
          </Button>
        </div>
        {missingSetting ? (
          <p className="mt-3 text-sm text-amber-800">
            Set <code className="rounded bg-amber-50 px-1">{missingSetting}</code> (see the README) to connect numbers through
            your Meta app.
          </p>
        ) : null}
      </section>
    );
  }

  return (
    <section
      aria-labelledby="connect-title"
      className="space-y-4 rounded-xl border border-emerald-200 bg-white p-4 shadow-xs sm:p-5"
    >
      <div className="flex items-start justify-between gap-3">
        <div>
          <h2 id="connect-title" className="text-base font-semibold text-zinc-900">
            Connect a WhatsApp Business app number
          </h2>
          <p className="mt-1 text-sm text-zinc-600">
            {isDemo
              ? "Demo mode: the Meta sandbox plays Facebook's signup window. Pick or create a number there."
              : "A Facebook window opens: the owner logs in, enters the number and confirms it in the WhatsApp Business app."}
          </p>
        </div>
        {phase.kind === "checklist" ? (
          <Button variant="ghost" onClick={() => setPhase({ kind: "idle" })}>
            Close
          </Button>
        ) : null}
      </div>

      {phase.kind === "checklist" ? (
        <>
          <fieldset className="space-y-2">
            <legend className="mb-2 text-sm font-medium text-zinc-900">Before you start, confirm each point</legend>
            {checklist.map((item) => (
              <label key={item.id} className="flex items-start gap-2.5 text-sm text-zinc-700">
                <input
                  type="checkbox"
                  className="mt-0.5 size-4 shrink-0 accent-emerald-600"
                  checked={ticked.has(item.id)}
                  onChange={(event) => {
                    const next = new Set(ticked);
                    if (event.target.checked) next.add(item.id);
                    else next.delete(item.id);
                    setTicked(next);
                  }}
                />
                <span>{item.text}</span>
              </label>
            ))}
          </fieldset>
          <p className="text-xs text-zinc-500">
            Linked devices are signed out at connection and can be linked again; WhatsApp for Windows and Wear OS are not
            supported with a connected number. Numbers from several WhatsApp Business accounts can be connected one after the
            other.
          </p>
          <div className="flex flex-wrap items-center gap-3">
            <Button onClick={onLaunch} disabled={!isEligible || !state || sdk !== "ready"}>
              Continue with Facebook
            </Button>
            <span className="text-xs text-zinc-500" role="status">
              {sdk === "failed"
                ? "The Facebook SDK could not be loaded. Check the network, then reload."
                : sdk === "loading"
                  ? "Loading the Facebook SDK…"
                  : start.isError
                    ? `Could not prepare the signup: ${start.error.message}`
                    : !isEligible
                      ? "Tick every point to continue."
                      : null}
            </span>
          </div>
        </>
      ) : null}

      {phase.kind === "popup" ? (
        <p role="status" className="rounded-lg bg-sky-50 px-3 py-2 text-sm text-sky-900">
          Finish the steps in the signup window. This page continues by itself.
        </p>
      ) : null}
      {phase.kind === "completing" ? (
        <p role="status" className="rounded-lg bg-sky-50 px-3 py-2 text-sm text-sky-900">
          Connecting the number and requesting contacts and history…
        </p>
      ) : null}
      {phase.kind === "done" ? <Connected result={phase.result} onAnother={restart} /> : null}
      {phase.kind === "cancelled" ? (
        <div role="alert" className="space-y-2 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2.5 text-sm text-amber-900">
          {phase.error ? (
            <p>
              Meta stopped the signup with an error{phase.error.code ? ` (code ${phase.error.code})` : ""}:{" "}
              <strong className="font-medium">{phase.error.message}</strong>
            </p>
          ) : (
            <p>
              The signup was cancelled{phase.step ? ` at step ${phase.step.toLowerCase().replace(/_/g, " ")}` : ""}. Nothing was
              connected.
            </p>
          )}
          <Button variant="secondary" onClick={restart}>
            Try again
          </Button>
        </div>
      ) : null}
      {phase.kind === "failed" ? (
        <div role="alert" className="space-y-2 rounded-lg border border-red-200 bg-red-50 px-3 py-2.5 text-sm text-red-900">
          <p className="flex items-start gap-2">
            <AlertIcon className="mt-0.5 size-4 shrink-0" />
            <span>The number could not be connected. {phase.message}</span>
          </p>
          <Button variant="secondary" onClick={restart}>
            Try again
          </Button>
        </div>
      ) : null}
    </section>
  );
}

function Connected({ result, onAnother }: { result: Completion["number"]; onAnother: () => void }) {
  const problems = result.syncs.filter((s) => s.state !== "accepted");
  return (
    <div
      role="status"
      className="space-y-2 rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2.5 text-sm text-emerald-950"
    >
      <p className="flex items-start gap-2 font-medium">
        <CheckIcon className="mt-0.5 size-4 shrink-0" />
        {formatPhone(result.displayPhoneNumber)} is connected.{" "}
        {problems.length === 0 ? "Contacts and chat history were requested; follow their progress below." : null}
      </p>
      {problems.map((sync) => (
        <p key={sync.kind} className="text-amber-900">
          {sync.state === "uncertain" ? UNCERTAIN_TEXT : explainSyncFailure(sync.kind, sync.errorCode ?? null, null)}
        </p>
      ))}
      <Button variant="secondary" onClick={onAnother}>
        Connect another number
      </Button>
    </div>
  );
}
