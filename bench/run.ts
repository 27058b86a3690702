/**
 * `npm run bench`: starts the whole system on ports of its own against a fresh database and prints
 * figures (not pass/fail): webhook intake in open loop at increasing rates, closed-loop intake
 * against a bare `node:http` reference in the same run (with the worker running, then paused), the
 * worker draining the backlog, history import (with CPU seconds per 100,000 messages of each part),
 * and webhook-to-browser latency while other events
 * arrive; then inbox reads over a seeded inbox; then a seeded 10,000-message thread read to its
 * beginning in Chromium (BENCH_THREAD_MESSAGES, within BENCH_THREAD_SECONDS); then the outbound
 * queue's send rate (one number, then several at once, measured at the sandboxes). BENCH_PARTS
 * (comma list of `intake`, `closed`, `backlog`, `history`, `browser`, `inbox`, `thread`, `send`;
 * `system` is `intake`, `closed`, `history` and `browser`) selects them; `closed` measures the drain
 * of what its paused run left, `backlog` alone that of BENCH_BACKLOG_EVENTS events stored straight
 * into the queue. BENCH_SEND_MESSAGES (one
 * number, 200), BENCH_SEND_NUMBERS (10) and BENCH_SEND_PER_NUMBER (100) size the send part, which
 * alone needs no web server (only DATABASE_URL). BENCH_RATES (comma list),
 * BENCH_SECONDS, BENCH_CLOSED_SECONDS, BENCH_SENDERS,
 * BENCH_HISTORY_MESSAGES, BENCH_SAMPLES, BENCH_BACKGROUND_RATE, BENCH_INBOX_CONVERSATIONS,
 * BENCH_INBOX_MESSAGES and BENCH_REQUESTS tune it. BENCH_PORT moves the ports (from 3200),
 * BENCH_REUSE_DATABASE=1 keeps the last run's database (and its seeded inbox).
 * Results: bench/results/*.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { sql as drizzleSql } from "drizzle-orm";
import { createDb } from "@/db/client";
import { runBrowserLatency } from "./browser-latency";
import { runHistoryImport } from "./history";
import { runInboxReads } from "./inbox";
import { countStored, runClosedLoop, runIntake, storeBacklog } from "./intake";
import { runSendRate } from "./send-rate";
import { round } from "./stats";
import { BENCH_PORT, benchAdmin, benchAppSecret, type CpuUsed, startBareReference, startSystem } from "./system";
import { runThreadScroll } from "./thread-scroll";

const rates = (process.env.BENCH_RATES ?? "250,500").split(",").map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const closedSeconds = Number(process.env.BENCH_CLOSED_SECONDS ?? 10);
const senders = Number(process.env.BENCH_SENDERS ?? 16);
const samples = Number(process.env.BENCH_SAMPLES ?? 50);
const backgroundRate = Number(process.env.BENCH_BACKGROUND_RATE ?? 200);
const historyMessages = Number(process.env.BENCH_HISTORY_MESSAGES ?? 100_000);
const inboxConversations = Number(process.env.BENCH_INBOX_CONVERSATIONS ?? 100_000);
const inboxMessages = Number(process.env.BENCH_INBOX_MESSAGES ?? 2_000_000);
const requests = Number(process.env.BENCH_REQUESTS ?? 40);
const sendMessages = Number(process.env.BENCH_SEND_MESSAGES ?? 200);
const sendNumbers = Number(process.env.BENCH_SEND_NUMBERS ?? 10);
const sendPerNumber = Number(process.env.BENCH_SEND_PER_NUMBER ?? 100);
const backlogEvents = Number(process.env.BENCH_BACKLOG_EVENTS ?? 20_000);
const threadMessages = Number(process.env.BENCH_THREAD_MESSAGES ?? 10_000);
const threadSeconds = Number(process.env.BENCH_THREAD_SECONDS ?? 300);
const systemParts = ["intake", "closed", "history", "browser"];
const parts = new Set(
  (process.env.BENCH_PARTS ?? "system,inbox,thread,send")
    .split(",")
    .flatMap((part) => (part === "system" ? systemParts : [part])),
);

// The send part starts its own workers and sandboxes: the whole system only runs for the others.
if (parts.has("send") && ![...parts].some((part) => part !== "send")) {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("BENCH_PARTS=send alone needs DATABASE_URL (it creates <name>_send next to it)");
  const send = await runSendRate({
    databaseUrl,
    oneNumberMessages: sendMessages,
    numbers: sendNumbers,
    perNumber: sendPerNumber,
  });
  writeResults({ machine: machineOf(), startedAt: new Date().toISOString(), sendRate: send });
  process.exit(0);
}

const system = await startSystem();
// A bench stopped from outside (Ctrl-C, a timeout) still stops the system it started.
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void system.stop().finally(() => process.exit(1)));
const { db, sql } = createDb(system.databaseUrl, { max: 2 });
const results: Record<string, unknown> = { machine: machineOf(), startedAt: new Date().toISOString() };
const webhookUrl = `${system.baseUrl}/api/webhooks/whatsapp`;

/** Pending webhook events and the age of the oldest, read straight from the queue. */
async function readLag() {
  const [row] = (await db.execute(
    drizzleSql`select count(*)::int as pending, coalesce(extract(epoch from now() - min(received_at)), 0)::float as oldest
               from webhook_events where status = 'pending'`,
  )) as unknown as { pending: number; oldest: number }[];
  return { pending: row!.pending, oldestPendingSeconds: round(row!.oldest, 2) };
}

async function waitForEmptyQueue(limitMs: number) {
  const started = performance.now();
  while (performance.now() - started < limitMs && (await readLag()).pending > 0) await new Promise((r) => setTimeout(r, 100));
  return (performance.now() - started) / 1000;
}

/** The database's PostgreSQL backends (their CPU is PostgreSQL's share of a phase). */
async function listBackends() {
  const rows = (await db.execute(drizzleSql`select pid from pg_stat_activity where datname = current_database()`)) as unknown as {
    pid: number;
  }[];
  return rows.map((r) => r.pid);
}

/**
 * Starts counting CPU; the function it returns gives the seconds used since, by part: the worker
 * processes, all of Tandem's, the database's PostgreSQL backends, the bench's browser, the bench.
 */
async function startCpuCount() {
  const before = system.cpuSeconds(await listBackends());
  const benchBefore = process.cpuUsage();
  return async (): Promise<CpuUsed> => {
    const after = system.cpuSeconds(await listBackends());
    const bench = process.cpuUsage(benchBefore);
    let postgres = 0;
    for (const [pid, seconds] of after.postgres) postgres += seconds - (before.postgres.get(pid) ?? 0);
    return {
      tandem: after.tandem - before.tandem,
      worker: after.worker - before.worker,
      postgres,
      browser: after.browser - before.browser,
      bench: (bench.user + bench.system) / 1e6,
    };
  };
}

/**
 * The worker drains the backlog of live text events a run left, with the web idle; with the CPU
 * seconds per 1,000 events of the worker, of all Tandem's processes, and of PostgreSQL's backends.
 */
async function drainBacklog(run: string, events: number) {
  const cpuUsed = await startCpuCount();
  const drainSeconds = await waitForEmptyQueue(300_000);
  const used = await cpuUsed();
  const applied = await countStored(db, run);
  const per1k = (seconds: number) => round((seconds / applied) * 1000, 3);
  results.backlogDrain = {
    events,
    applied,
    seconds: round(drainSeconds, 2),
    eventsPerSecond: Math.round(applied / drainSeconds),
    workerCpuPer1k: per1k(used.worker),
    tandemCpuPer1k: per1k(used.tandem),
    postgresCpuPer1k: per1k(used.postgres),
  };
  console.log("\nWorker draining a backlog of live text events (web idle)");
  console.table([results.backlogDrain]);
}

/** The worker paused while `senders` post for `closedSeconds`; then it drains what they left. */
async function runPausedClosedLoop() {
  await waitForEmptyQueue(120_000);
  system.signalWorkers("SIGSTOP");
  const run = `backlog-${Date.now()}`;
  let paused: Awaited<ReturnType<typeof runClosedLoop>>;
  try {
    paused = await runClosedLoop({ url: webhookUrl, appSecret: benchAppSecret, senders, seconds: closedSeconds, run });
  } finally {
    system.signalWorkers("SIGCONT");
  }
  await drainBacklog(run, paused.acknowledged);
  return paused;
}

try {
  // Warm-up, not reported: the first requests load route modules and open pool connections.
  await runIntake({ baseUrl: system.baseUrl, db, appSecret: benchAppSecret, rate: 50, seconds: 2, run: `warmup-${Date.now()}` });
  await waitForEmptyQueue(30_000);

  if (parts.has("intake")) {
    const intake = [];
    for (const rate of rates) {
      console.log(`intake at ${rate}/s for ${seconds} s…`);
      intake.push(
        await runIntake({
          baseUrl: system.baseUrl,
          db,
          appSecret: benchAppSecret,
          rate,
          seconds,
          run: `${Date.now()}-${rate}`,
          sampleLag: readLag,
        }),
      );
    }
    results.intake = intake;
    console.log("\nWebhook intake (signed text messages, open loop)");
    console.table(intake);
  }

  if (parts.has("closed")) {
    console.log(
      `closed loop, ${senders} senders, ${closedSeconds} s each: Tandem, Tandem with the worker paused, bare reference…`,
    );
    await waitForEmptyQueue(60_000);
    const closed: Record<string, unknown>[] = [];
    const running = await runClosedLoop({
      url: webhookUrl,
      appSecret: benchAppSecret,
      senders,
      seconds: closedSeconds,
      run: `closed-${Date.now()}`,
    });
    closed.push({ server: "Tandem, everything running", ...running });
    const paused = await runPausedClosedLoop();
    closed.push({ server: "Tandem, worker paused", ...paused });

    const bare = await startBareReference({ databaseUrl: system.databaseUrl, port: BENCH_PORT + 3, appSecret: benchAppSecret });
    try {
      const reference = await runClosedLoop({
        url: bare.url,
        appSecret: benchAppSecret,
        senders,
        seconds: closedSeconds,
        run: `bare-${Date.now()}`,
      });
      closed.push({ server: "bare node:http reference", ...reference });
      results.intakeRatio = round(paused.acksPerSecond / reference.acksPerSecond, 2);
    } finally {
      await bare.stop();
    }
    results.closedLoop = closed;
    console.log(`\nClosed loop (${senders} senders, ${closedSeconds} s each)`);
    console.table(closed);
    console.log(`Tandem's route (worker paused) / bare reference: ${results.intakeRatio}`);
  } else if (parts.has("backlog")) {
    console.log(`backlog: ${backlogEvents} events stored with the worker paused, then the drain…`);
    await waitForEmptyQueue(120_000);
    const run = `backlog-${Date.now()}`;
    system.signalWorkers("SIGSTOP");
    try {
      await storeBacklog({ db, sql, run, events: backlogEvents, appSecret: benchAppSecret });
    } finally {
      system.signalWorkers("SIGCONT");
    }
    await drainBacklog(run, backlogEvents);
  }

  if (parts.has("history")) {
    console.log(`history import of ${historyMessages} messages…`);
    const cpuUsed = await startCpuCount();
    const history = await runHistoryImport({
      baseUrl: system.baseUrl,
      db,
      appSecret: benchAppSecret,
      messages: historyMessages,
      threads: Math.max(1, Math.round(historyMessages / 50)),
      perChunk: 1000,
      run: String(Date.now()),
    });
    const used = await cpuUsed();
    const per100k = (seconds: number) => round((seconds / history.imported) * 100_000, 2);
    results.historyImport = {
      ...history,
      workerCpuPer100k: per100k(used.worker),
      tandemCpuPer100k: per100k(used.tandem),
      postgresCpuPer100k: per100k(used.postgres),
      benchCpuPer100k: per100k(used.bench),
    };
    console.log("\nHistory import (signed chunks, reverse order, from first POST to last row committed)");
    console.table([results.historyImport]);
  }

  if (parts.has("browser")) {
    console.log(`webhook → browser latency, ${samples} samples, idle, then with ${backgroundRate} other events/s…`);
    const browser = { baseUrl: system.baseUrl, db, sql, appSecret: benchAppSecret, admin: benchAdmin, samples, startCpuCount };
    const idle = await runBrowserLatency(browser);
    const loaded = await runBrowserLatency({ ...browser, backgroundRate });
    results.webhookToBrowser = [
      { load: "idle", ...idle },
      { load: `${backgroundRate} other events/s`, ...loaded },
    ];
    console.log("\nWebhook POST → text visible in an open thread (ms)");
    console.table(results.webhookToBrowser as object[]);
  }

  if (parts.has("inbox")) {
    const inbox = await runInboxReads({
      baseUrl: system.baseUrl,
      sql,
      admin: benchAdmin,
      conversations: inboxConversations,
      messages: inboxMessages,
      requests,
      startCpuCount,
    });
    results.inboxReads = inbox;
    console.log(
      `\nInbox reads over HTTP (ms), ${inbox.conversations} conversations and ${inbox.messages} messages on one number, ${requests} requests each`,
    );
    console.table(inbox.reads);
  }

  if (parts.has("thread")) {
    console.log(`a ${threadMessages}-message thread read to its beginning in Chromium…`);
    results.threadScroll = await runThreadScroll({
      baseUrl: system.baseUrl,
      sql,
      admin: benchAdmin,
      messages: threadMessages,
      budgetSeconds: threadSeconds,
    });
    console.log("\nA long thread scrolled to its beginning (each older page: request → drawn)");
    console.table([results.threadScroll]);
  }

  if (parts.has("send"))
    results.sendRate = await runSendRate({
      databaseUrl: system.databaseUrl,
      oneNumberMessages: sendMessages,
      numbers: sendNumbers,
      perNumber: sendPerNumber,
    });
} finally {
  await sql.end();
  await system.stop();
  writeResults(results);
}

function machineOf() {
  return { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30) };
}

function writeResults(results: Record<string, unknown>) {
  mkdirSync("bench/results", { recursive: true });
  const file = `bench/results/${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwritten to ${file}`);
}
