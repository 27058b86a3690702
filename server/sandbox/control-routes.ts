import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { renderControlPage } from "./control-page";
import { type Route, readValidJson, sendError, sendJson } from "./http";
import { disconnectionReasons, initiators, lifecycleEvents, sendLifecycleEvent } from "./lifecycle";
import { historyChoices, type NumberStore, type SandboxState, syncKinds } from "./state";
import { type SyncRefusal, type SyncRunner, syncWindowMs } from "./sync";
import type { WebhookLogEntry } from "./webhook-log";
import type { BusinessNumber, WebhookSender } from "./webhooks";

/**
 * The sandbox control page (`/sandbox`) and its JSON API: what Meta or the business would do outside
 * Tandem's reach. Run the onboarding syncs, choose whether the business shares its history, send
 * lifecycle events, and reset the number to a fresh onboarding.
 */

export type ControlDeps = {
  number: BusinessNumber;
  state: SandboxState;
  webhooks: WebhookSender;
  sync: SyncRunner;
  recentWebhooks: () => WebhookLogEntry[];
  now: () => Date;
};

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

const syncBodySchema = z.object({ kind: z.enum(syncKinds), choice: z.enum(historyChoices).optional() });
const choiceBodySchema = z.object({ choice: z.enum(historyChoices) });
const lifecycleBodySchema = z.object({
  event: z.enum(lifecycleEvents),
  reason: z.enum(disconnectionReasons).optional(),
  initiatedBy: z.enum(initiators).optional(),
  /** A number connected through the Embedded Signup popup; the demo number when absent. */
  phoneNumberId: z.string().optional(),
});

const refusals: Record<SyncRefusal, { code: string; message: string }> = {
  used: {
    code: "SYNC_ALREADY_USED",
    message: "This sync already ran since onboarding (Meta: 2593107). Reset the sandbox to onboard again.",
  },
  window_closed: {
    code: "SYNC_WINDOW_CLOSED",
    message: "Onboarding was more than 24 hours ago (Meta: 2593108). Reset the sandbox to onboard again.",
  },
  not_connected: {
    code: "NUMBER_NOT_CONNECTED",
    message: "The number is not connected to the Cloud API; send ACCOUNT_RECONNECTED or PARTNER_ADDED first.",
  },
};

export function createControlRoutes(deps: ControlDeps): Route {
  const routes: Record<string, Record<string, Handler>> = {
    "/sandbox": { GET: (_req, res) => servePage(deps, res) },
    "/sandbox/api/state": { GET: (_req, res) => sendJson(res, 200, describeSandbox(deps)) },
    "/sandbox/api/sync": { POST: (req, res) => runSync(deps, req, res) },
    "/sandbox/api/history-choice": { POST: (req, res) => setHistoryChoice(deps, req, res) },
    "/sandbox/api/lifecycle": { POST: (req, res) => sendLifecycle(deps, req, res) },
    "/sandbox/api/reset": {
      POST: (_req, res) => {
        deps.state.resetNumber();
        sendJson(res, 200, describeSandbox(deps));
      },
    },
  };

  return async (req, res, url) => {
    const methods = routes[url.pathname.replace(/(.)\/$/, "$1")];
    if (!methods) return false;
    const handler = methods[req.method ?? "GET"];
    if (!handler) {
      res.setHeader("allow", Object.keys(methods).join(", "));
      sendError(res, 405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${url.pathname}`);
      return true;
    }
    await handler(req, res);
    return true;
  };
}

function servePage(deps: ControlDeps, res: ServerResponse) {
  const html = renderControlPage({
    businessName: deps.number.verifiedName,
    displayPhoneNumber: deps.number.displayPhoneNumber,
    lifecycleEvents,
    disconnectionReasons,
  });
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(html);
}

/** Everything the control page shows, also handy for tests. */
function describeSandbox(deps: ControlDeps) {
  const number = deps.state.getNumber();
  const windowEndsAt = new Date(new Date(number.onboardedAt).getTime() + syncWindowMs);
  return {
    number: {
      wabaId: deps.number.wabaId,
      phoneNumberId: deps.number.phoneNumberId,
      displayPhoneNumber: deps.number.displayPhoneNumber,
      verifiedName: deps.number.verifiedName,
      onboardedAt: number.onboardedAt,
      syncWindowEndsAt: windowEndsAt.toISOString(),
      isSyncWindowOpen: deps.now() <= windowEndsAt,
      account: number.account,
    },
    historyChoice: number.historyChoice,
    syncs: number.syncs,
    // Numbers connected through the Embedded Signup popup (tokens stay out).
    extraNumbers: deps.state.listExtraNumbers().map((extra) => ({
      ...extra.business,
      onboardedAt: extra.state.onboardedAt,
      account: extra.state.account,
      historyChoice: extra.state.historyChoice,
      syncs: extra.state.syncs,
    })),
    webhooks: deps.recentWebhooks(),
  };
}

async function runSync(deps: ControlDeps, req: IncomingMessage, res: ServerResponse) {
  const input = await readValidJson(req, res, syncBodySchema);
  if (!input) return;
  if (input.choice && input.kind === "history") {
    const choice = input.choice;
    deps.state.updateNumber((number) => {
      number.historyChoice = choice;
    });
  }
  const result = deps.sync.request(input.kind, "control");
  if ("refused" in result) {
    const refusal = refusals[result.refused];
    return sendError(res, 409, refusal.code, refusal.message);
  }
  sendJson(res, 202, {
    kind: input.kind,
    requestId: result.requestId,
    choice: input.kind === "history" ? deps.state.getNumber().historyChoice : null,
  });
}

async function setHistoryChoice(deps: ControlDeps, req: IncomingMessage, res: ServerResponse) {
  const input = await readValidJson(req, res, choiceBodySchema);
  if (!input) return;
  const number = deps.state.updateNumber((current) => {
    current.historyChoice = input.choice;
  });
  sendJson(res, 200, { historyChoice: number.historyChoice });
}

async function sendLifecycle(deps: ControlDeps, req: IncomingMessage, res: ServerResponse) {
  const input = await readValidJson(req, res, lifecycleBodySchema);
  if (!input) return;
  if (input.event !== "PARTNER_REMOVED" && (input.reason || input.initiatedBy)) {
    return sendError(res, 400, "VALIDATION", "reason and initiatedBy only go with PARTNER_REMOVED (disconnection_info)");
  }
  let target = { number: deps.number, state: deps.state as NumberStore };
  if (input.phoneNumberId && input.phoneNumberId !== deps.number.phoneNumberId) {
    const extra = deps.state.listExtraNumbers().find((n) => n.business.phoneNumberId === input.phoneNumberId);
    const store = deps.state.extraNumberStore(input.phoneNumberId);
    if (!extra || !store) return sendError(res, 404, "NOT_FOUND", "No sandbox number has this phone_number_id.");
    target = { number: extra.business, state: store };
  }
  const attempt = await sendLifecycleEvent({ ...deps, ...target }, input);
  sendJson(res, 200, {
    event: input.event,
    delivered: attempt.delivered,
    status: attempt.status,
    account: target.state.getNumber().account,
  });
}
