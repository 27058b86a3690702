import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { demoCustomers, demoNumber } from "@/lib/demo";
import { createControlRoutes } from "./control-routes";
import { createGraphRoutes } from "./graph-routes";
import { BodyTooLargeError, sendError, sendJson } from "./http";
import { createMediaStore } from "./media";
import { createPhoneRoutes } from "./phone-routes";
import { createSendControlRoutes } from "./send-control-routes";
import { createSendLimits, type SendLimitsOptions } from "./send-limits";
import { createSignupRoutes } from "./signup";
import { createState } from "./state";
import { createSyncRunner, type SyncRunner } from "./sync";
import { createTimers } from "./timers";
import { createWebhookLog } from "./webhook-log";
import { type BusinessNumber, createWebhookSender } from "./webhooks";

/**
 * The Meta sandbox: a local stand-in for Meta's Graph API and webhooks for the demo number, plus a
 * phone simulator page (customer phone and Business app) and a control page (onboarding syncs, lifecycle).
 * Built by a factory with injected fetch and clock so tests can drive it.
 */

export type SandboxOptions = {
  appSecret: string;
  /** Tandem's webhook intake. */
  webhookUrl: string;
  /** Delay between the sent, delivered and read statuses of an outbound message. */
  statusDelayMs: number;
  /** JSON file that keeps customers and threads across restarts; memory only when unset. */
  stateFile?: string;
  fetch?: typeof fetch;
  now?: () => Date;
  /** Pause before each onboarding-sync webhook (contacts, history chunks), so progress is visible; 400 ms by default. */
  syncPauseMs?: number;
  /** When set, each sync's webhooks are spread evenly over this many milliseconds instead of syncPauseMs each. */
  syncSpanMs?: number;
  /** Waits before each webhook retry; defaults to 1 s, 2 s, 4 s, 8 s. */
  retryDelaysMs?: readonly number[];
  log?: (line: string) => void;
  /** The business number it plays; the demo number by default (tests use their own, one sandbox each). */
  number?: BusinessNumber & { accessToken: string };
  /** Throughput and pair limits (defaults: Meta's 20/s and one per 6 s with a burst of 45). */
  limits?: Omit<SendLimitsOptions, "now">;
};

export function createSandbox(options: SandboxOptions) {
  const log = options.log ?? ((line: string) => console.log(`[sandbox] ${line}`));
  const now = options.now ?? (() => new Date());
  const number = options.number ?? demoNumber;
  const timers = createTimers();
  const state = createState({ initialCustomers: demoCustomers, file: options.stateFile, log, now });
  const webhookLog = createWebhookLog(now);
  const webhooks = webhookLog.wrap(
    createWebhookSender({
      url: options.webhookUrl,
      appSecret: options.appSecret,
      timers,
      fetch: options.fetch ?? fetch,
      retryDelaysMs: options.retryDelaysMs ?? [1000, 2000, 4000, 8000],
      log,
    }),
  );
  const media = createMediaStore({ state, secret: options.appSecret, now });
  const syncTiming = { pauseMs: options.syncPauseMs ?? 400, spanMs: options.syncSpanMs };
  const sync = createSyncRunner({ number, state, webhooks, media, timers, now, log, ...syncTiming });
  // Numbers connected through the Embedded Signup popup each get their own runner, made on first use.
  const extraSyncs = new Map<string, SyncRunner>();
  const extraSync = (phoneNumberId: string) => {
    const existing = extraSyncs.get(phoneNumberId);
    if (existing) return existing;
    const store = state.extraNumberStore(phoneNumberId);
    const extra = state.listExtraNumbers().find((n) => n.business.phoneNumberId === phoneNumberId);
    if (!store || !extra) return null;
    const runner = createSyncRunner({ number: extra.business, state: store, webhooks, media, timers, now, log, ...syncTiming });
    extraSyncs.set(phoneNumberId, runner);
    return runner;
  };
  const signup = createSignupRoutes({
    appSecret: options.appSecret,
    state,
    demo: { business: number, accessToken: number.accessToken, store: state, sync },
    extraSync,
    webhooks,
    now,
    log,
  });
  const limits = createSendLimits({ now, ...options.limits });
  const graph = createGraphRoutes({
    number,
    accessToken: number.accessToken,
    extraTokenAccount: (token) => state.listExtraNumbers().find((n) => n.accessToken === token)?.state.account.status ?? null,
    state,
    webhooks,
    timers,
    media,
    sync,
    statusDelayMs: options.statusDelayMs,
    limits,
    now,
    log,
  });
  const sendControl = createSendControlRoutes(limits, media);
  const phone = createPhoneRoutes({ number, state, webhooks, media, now });
  const control = createControlRoutes({ number, state, webhooks, sync, recentWebhooks: webhookLog.list, now });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://sandbox.invalid");
    try {
      if (req.method === "GET" && url.pathname === "/health") return sendJson(res, 200, { status: "ok" });
      if (await signup(req, res, url)) return;
      if (await graph(req, res, url)) return;
      if (await phone.route(req, res, url)) return;
      if (await control(req, res, url)) return;
      if (await sendControl(req, res, url)) return;
      sendError(res, 404, "NOT_FOUND", `No route for ${req.method} ${url.pathname}`);
    } catch (error) {
      if (res.headersSent) return void res.end();
      if (error instanceof BodyTooLargeError) return sendError(res, 413, "PAYLOAD_TOO_LARGE", error.message);
      log(`error on ${req.method} ${url.pathname}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      sendError(res, 500, "INTERNAL", "The sandbox failed on this request; see its log");
    }
  }

  const server = createServer((req, res) => void handle(req, res));

  return {
    server,
    state,
    limits,
    listen(port: number, host: string): Promise<{ url: string }> {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const address = server.address() as AddressInfo;
          const hostname = address.family === "IPv6" ? `[${address.address}]` : address.address;
          resolve({ url: `http://${hostname}:${address.port}` });
        });
      });
    },
    /** Stops timers, retries and event streams, then waits for the state file to be written. */
    async close(): Promise<void> {
      timers.clearAll();
      webhooks.close();
      phone.closeStreams();
      await new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await state.close();
    },
  };
}

export type Sandbox = ReturnType<typeof createSandbox>;
