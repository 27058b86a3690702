import { Agent, request } from "node:http";
import { and, count, eq, like } from "drizzle-orm";
import type { Database, Sql } from "@/db/client";
import { messages, numbers } from "@/db/schema";
import { demoNumber } from "@/lib/demo";
import { receiveWebhook } from "@/lib/services/webhooks/receive-webhook";
import { textMessage } from "@/lib/whatsapp/fixtures/build";
import { signPayload, toMetaJson } from "@/lib/whatsapp/signature";
import { round, summarize } from "./stats";

const agent = new Agent({ keepAlive: true, maxSockets: 512 });

function post(url: URL, body: string, signature: string, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        signal,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "x-hub-signature-256": signature,
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The i-th signed text-message webhook of a run: 1,000 customers, unique message ids. */
function signedText(run: string, i: number, appSecret: string) {
  const raw = toMetaJson(
    textMessage(demoNumber, {
      from: `1555${String(i % 1000).padStart(7, "0")}`,
      name: `Bench customer ${i % 1000}`,
      wamid: `wamid.bench-${run}-${i}`,
      text: `Load message ${i} — ça va?`,
    }),
  );
  return { raw, signature: signPayload(raw, appSecret) };
}

/**
 * Stores `events` signed text webhooks of a run straight into the queue, as the intake would
 * (same service, several at a time), to build a backlog without going through HTTP.
 */
export async function storeBacklog(input: { db: Database; sql: Sql; run: string; events: number; appSecret: string }) {
  const ctx = { db: input.db, sql: input.sql, actor: { kind: "webhook" } } as const;
  let next = 0;
  const store = async () => {
    while (next < input.events) {
      const { raw } = signedText(input.run, next++, input.appSecret);
      await receiveWebhook({ ctx, input: { raw: Buffer.from(raw) } });
    }
  };
  await Promise.all(Array.from({ length: 4 }, store));
}

/** Counts the messages of a run stored for the demo number. */
export async function countStored(db: Database, run: string) {
  const [number] = await db.select().from(numbers).where(eq(numbers.phoneNumberId, demoNumber.phoneNumberId));
  const [row] = await db
    .select({ n: count() })
    .from(messages)
    .where(and(eq(messages.numberId, number!.id), like(messages.wamid, `wamid.bench-${run}-%`)));
  return row!.n;
}

/**
 * Open-loop load: signed text-message webhooks POSTed at a fixed rate for `seconds`; reports the
 * sustained rate, acknowledgement latency and, after the worker drains, how many messages were stored.
 * Bodies are built and signed before the clock starts, so the generator's own CPU does not delay
 * sends. Latency is reported twice: from the time each POST was due (what Meta would see, so a
 * generator or server that falls behind shows, not hidden as coordinated omission) and from the
 * time it was sent; `sendLagMaxMs` says how late the generator itself ever was.
 * `sampleLag` is called every second during the run and its largest values are reported.
 */
export async function runIntake(input: {
  baseUrl: string;
  db: Database;
  appSecret: string;
  rate: number;
  seconds: number;
  run: string;
  sampleLag?: () => Promise<{ pending: number; oldestPendingSeconds: number } | null>;
}) {
  const url = new URL(`${input.baseUrl}/api/webhooks/whatsapp`);
  const total = input.rate * input.seconds;
  const bodies = Array.from({ length: total }, (_, i) => signedText(input.run, i, input.appSecret));
  const fromDue: number[] = [];
  const fromSend: number[] = [];
  let sendLagMaxMs = 0;
  let errors = 0;
  let firstError: string | undefined;
  const fail = (reason: string) => {
    errors++;
    firstError ??= reason;
  };
  const lag = { maxPending: 0, maxOldestPendingSeconds: 0 };
  let sampling = true;
  const sampler = (async () => {
    while (sampling && input.sampleLag) {
      const sample = await input.sampleLag().catch(() => null);
      if (sample) {
        lag.maxPending = Math.max(lag.maxPending, sample.pending);
        lag.maxOldestPendingSeconds = Math.max(lag.maxOldestPendingSeconds, sample.oldestPendingSeconds);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / input.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const { raw, signature } = bodies[i]!;
    const sentAt = performance.now();
    sendLagMaxMs = Math.max(sendLagMaxMs, sentAt - due);
    pending.push(
      post(url, raw, signature).then(
        (status) => {
          const now = performance.now();
          if (status !== 200) return fail(`answered ${status}`);
          fromDue.push(now - due);
          fromSend.push(now - sentAt);
        },
        (error: Error) => fail(describeError(error)),
      ),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;

  const drainStart = performance.now();
  let stored = await countStored(input.db, input.run);
  while (stored < total && performance.now() - drainStart < 120_000) {
    await new Promise((r) => setTimeout(r, 250));
    stored = await countStored(input.db, input.run);
  }
  sampling = false;
  await sampler;
  const due = summarize(fromDue);
  const sent = summarize(fromSend);
  return {
    targetRate: input.rate,
    sent: total,
    acknowledged: fromDue.length,
    errors,
    ...(firstError ? { firstError } : {}),
    sustainedRate: round(fromDue.length / elapsed),
    ackP50Ms: round(due.p50),
    ackP99Ms: round(due.p99),
    ackP99FromSendMs: round(sent.p99),
    sendLagMaxMs: round(sendLagMaxMs),
    stored,
    drainSeconds: round((performance.now() - drainStart) / 1000, 2),
    ...(input.sampleLag ? lag : {}),
  };
}

/** A failed POST in a few words: its code and cause when node gives one (ECONNRESET, a timeout). */
export function describeError(error: Error & { code?: string; cause?: unknown }): string {
  const cause = error.cause instanceof Error ? `: ${describeError(error.cause)}` : "";
  return `${error.code ?? error.name}: ${error.message}${cause}`;
}

/**
 * Closed-loop load: `senders` concurrent senders, each POSTing the next signed webhook as soon as
 * the previous one is answered, for `seconds`. Measures how many acknowledgements a server can give.
 */
export async function runClosedLoop(input: { url: string; appSecret: string; senders: number; seconds: number; run: string }) {
  const url = new URL(input.url);
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + input.seconds * 1000;
  const sender = async () => {
    while (performance.now() < deadline) {
      const { raw, signature } = signedText(input.run, next++, input.appSecret);
      const t0 = performance.now();
      const status = await post(url, raw, signature).catch(() => 0);
      if (status === 200) latencies.push(performance.now() - t0);
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: input.senders }, sender));
  const elapsed = (performance.now() - started) / 1000;
  const s = summarize(latencies);
  return {
    acknowledged: latencies.length,
    errors,
    acksPerSecond: round(latencies.length / elapsed),
    ackP50Ms: round(s.p50),
    ackP99Ms: round(s.p99),
  };
}

/**
 * Signed text webhooks at `rate` per second from other customers until `stop()` is called. A POST
 * not answered within 10 s is counted as an error and dropped, so stopping never waits longer.
 */
export function startBackgroundLoad(input: { url: string; appSecret: string; rate: number; run: string }) {
  const url = new URL(input.url);
  let stopped = false;
  let errors = 0;
  let firstError: string | undefined;
  const fail = (reason: string) => {
    errors++;
    firstError ??= reason;
  };
  const inFlight = new Set<Promise<void>>();
  const done = (async () => {
    const started = performance.now();
    for (let i = 0; !stopped; i++) {
      const wait = started + (i * 1000) / input.rate - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const { raw, signature } = signedText(input.run, i, input.appSecret);
      const request = post(url, raw, signature, AbortSignal.timeout(10_000)).then(
        (status) => {
          if (status !== 200) fail(`answered ${status}`);
        },
        (error: Error) => fail(describeError(error)),
      );
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
      await Promise.all(inFlight);
      return { errors, firstError };
    },
  };
}
