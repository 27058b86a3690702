import { eq, sql } from "drizzle-orm";
import { historySyncs, syncRequests } from "@/db/schema";
import { notifyChange } from "@/lib/realtime/notify";
import { GraphApiError } from "@/lib/whatsapp/graph-client";
import type { OnboardingGraph, SyncType } from "@/lib/whatsapp/graph-onboarding";
import type { Ctx } from "../context";

type Pending = { id: string; kind: "contacts" | "history" };
export type SyncOutcome = {
  kind: Pending["kind"];
  state: "accepted" | "failed" | "uncertain";
  requestId?: string;
  errorCode?: number;
};

const SYNC_TYPE: Record<Pending["kind"], SyncType> = { contacts: "smb_app_state_sync", history: "history" };

/**
 * Calls `smb_app_data` once for each sync committed as "requested", contacts first as Meta orders
 * them. Each type is accepted once per onboarding (2593107) and only within 24 hours (2593108), so
 * nothing is retried: a 4xx is recorded as failed with Meta's code, and no answer (timeout, 5xx)
 * as uncertain, because Meta may have accepted it.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/onboarding-business-app-users
 */
export async function requestSyncs({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { number: { id: string; phoneNumberId: string }; token: string; pending: Pending[]; graph: OnboardingGraph };
}): Promise<SyncOutcome[]> {
  const outcomes: SyncOutcome[] = [];
  const ordered = [...input.pending].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "contacts" ? -1 : 1));
  for (const request of ordered) {
    let outcome: SyncOutcome;
    try {
      const { requestId } = await input.graph.requestSync({
        phoneNumberId: input.number.phoneNumberId,
        token: input.token,
        syncType: SYNC_TYPE[request.kind],
      });
      outcome = { kind: request.kind, state: "accepted", requestId };
    } catch (error) {
      const isDefinite = error instanceof GraphApiError && error.httpStatus >= 400 && error.httpStatus < 500;
      outcome = { kind: request.kind, state: isDefinite ? "failed" : "uncertain" };
      await recordFailure(ctx, input.number.id, request, outcome, error);
      outcomes.push(outcome);
      continue;
    }
    await ctx.db
      .update(syncRequests)
      .set({ state: "accepted", requestId: outcome.requestId, answeredAt: sql`now()` })
      .where(eq(syncRequests.id, request.id));
    outcomes.push(outcome);
  }
  await notifyChange(ctx.db, { type: "number", numberId: input.number.id });
  return outcomes;
}

/** Meta carries 2593107/2593108 in `code` or `error_subcode`; the one that matches is kept. */
function codeOf(error: GraphApiError) {
  for (const code of [2593107, 2593108]) if (error.hasCode(code)) return code;
  return error.code;
}

async function recordFailure(ctx: Ctx, numberId: string, request: Pending, outcome: SyncOutcome, error: unknown) {
  const code = error instanceof GraphApiError && outcome.state === "failed" ? codeOf(error) : null;
  if (code !== null) outcome.errorCode = code;
  const message =
    error instanceof GraphApiError
      ? error.message
      : "No answer from Meta (timeout or network error); the request may have been accepted.";
  await ctx.db
    .update(syncRequests)
    .set({ state: outcome.state, errorCode: code, errorMessage: message.slice(0, 500), answeredAt: sql`now()` })
    .where(eq(syncRequests.id, request.id));
  // An uncertain history request may still deliver webhooks: its sync stays "requested".
  if (request.kind === "history" && outcome.state === "failed") {
    await ctx.db
      .update(historySyncs)
      .set({ state: "failed", error: { code: code ?? 0, message: message.slice(0, 500) }, lastEventAt: sql`now()` })
      .where(eq(historySyncs.numberId, numberId));
  }
}
