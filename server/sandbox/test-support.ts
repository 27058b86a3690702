import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { demoNumber } from "@/lib/demo";
import { createSandbox, type SandboxOptions } from "./create-sandbox";

/** Helpers shared by the sandbox's tests: a stand-in for Tandem's webhook intake, a sandbox, small HTTP calls. */

export const appSecret = "sandbox-test-secret";
export const statusDelayMs = 20;
export const auth = { authorization: `Bearer ${demoNumber.accessToken}` };

const cleanups: (() => Promise<void>)[] = [];

/** Register with `afterEach(runCleanups)`. */
export async function runCleanups() {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

export function onCleanup(cleanup: () => Promise<void>) {
  cleanups.push(cleanup);
}

// Test-side views of the JSON the sandbox sends; assertions check the exact shapes.
export type WaMessage = {
  id: string;
  from: string;
  to?: string;
  timestamp: string;
  type: string;
  image?: { caption?: string; mime_type: string; sha256: string; id: string };
} & Record<string, unknown>;
export type HistoryItem = {
  metadata?: { phase: number; chunk_order: number; progress: number };
  threads?: { id: string; messages: (WaMessage & { history_context: { status: string } })[] }[];
  errors?: { code: number }[];
};
export type WebhookValue = {
  messaging_product?: string;
  metadata?: { display_phone_number: string; phone_number_id: string };
  contacts?: { profile: { name: string }; wa_id: string }[];
  messages?: WaMessage[];
  message_echoes?: WaMessage[];
  statuses?: { id: string; status: string; pricing?: { type: string }; errors?: { code: number }[] }[];
  history?: HistoryItem[];
  state_sync?: { type: string; action: string; contact: { full_name?: string; first_name?: string; phone_number: string } }[];
  event?: string;
  disconnection_info?: { reason: string; initiated_by: string };
};
export type Webhook = {
  object: string;
  entry: { id: string; time?: number; changes: { field: string; value: WebhookValue }[] }[];
};
export type Received = { raw: Buffer; headers: IncomingHttpHeaders; json: Webhook };

export const changeOf = (received: Received) => received.json.entry[0]!.changes[0]!;
export const ofField = (received: Received[], field: string) => received.filter((r) => changeOf(r).field === field);

/** Plays Tandem's webhook intake: records every POST and answers with `respond`'s status. */
export async function startReceiver(respond: (attempt: number) => number = () => 200) {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    received.push({ raw, headers: req.headers, json: JSON.parse(raw.toString("utf8")) });
    res.writeHead(respond(received.length)).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onCleanup(
    () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // A webhook cut off by a closing sandbox can leave a half-read request open.
        server.closeAllConnections();
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/webhooks/whatsapp`, received };
}

export async function startSandbox(webhookUrl: string, overrides: Partial<SandboxOptions> = {}) {
  const sandbox = createSandbox({
    appSecret,
    webhookUrl,
    statusDelayMs,
    retryDelaysMs: [20, 40],
    syncPauseMs: 2,
    log: () => {},
    ...overrides,
  });
  const { url } = await sandbox.listen(0, "127.0.0.1");
  onCleanup(() => sandbox.close());
  return { sandbox, url };
}

export async function post<T>(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

export const getJson = async <T>(url: string, headers: Record<string, string> = {}) =>
  (await (await fetch(url, { headers })).json()) as T;

export async function waitFor<T>(check: () => T | undefined | false | Promise<T | false>, timeoutMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
