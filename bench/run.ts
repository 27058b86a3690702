/**
 * `npm run bench`: starts the whole system on ports of its own against a fresh database and prints
 * figures (not pass/fail): webhook intake at increasing rates, history import, and webhook-to-browser
 * latency, and inbox reads with a seeded inbox. BENCH_PARTS (comma list of intake, history, latency,
 * inbox) selects parts; BENCH_RATES (comma list), BENCH_SECONDS, BENCH_HISTORY_MESSAGES, BENCH_SAMPLES,
 * BENCH_INBOX_CONVERSATIONS, BENCH_INBOX_MESSAGES and BENCH_REQUESTS tune them. BENCH_PORT moves the
 * ports (3200-3202), BENCH_REUSE_DATABASE=1 keeps the last run's database. Results: bench/results/*.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { createDb } from "@/db/client";
import { runBrowserLatency } from "./browser-latency";
import { runHistoryImport } from "./history";
import { runInboxReads } from "./inbox";
import { runIntake } from "./intake";
import { benchAdmin, benchAppSecret, startSystem } from "./system";

const rates = (process.env.BENCH_RATES ?? "250,500,1000").split(",").map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const samples = Number(process.env.BENCH_SAMPLES ?? 50);
const historyMessages = Number(process.env.BENCH_HISTORY_MESSAGES ?? 100_000);
const inboxConversations = Number(process.env.BENCH_INBOX_CONVERSATIONS ?? 100_000);
const inboxMessages = Number(process.env.BENCH_INBOX_MESSAGES ?? 2_000_000);
const requests = Number(process.env.BENCH_REQUESTS ?? 40);
const parts = new Set((process.env.BENCH_PARTS ?? "intake,history,latency,inbox").split(","));

const system = await startSystem();
const { db, sql } = createDb(system.databaseUrl, { max: 2 });
const results: Record<string, unknown> = {
  machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
  startedAt: new Date().toISOString(),
};
try {
  // Warm-up, not reported: the first requests load route modules and open pool connections.
  await runIntake({ baseUrl: system.baseUrl, db, appSecret: benchAppSecret, rate: 50, seconds: 2, run: `warmup-${Date.now()}` });
  if (parts.has("intake")) {
    const intake = [];
    for (const rate of rates) {
      console.log(`intake at ${rate}/s for ${seconds} s…`);
      intake.push(
        await runIntake({ baseUrl: system.baseUrl, db, appSecret: benchAppSecret, rate, seconds, run: `${Date.now()}-${rate}` }),
      );
    }
    results.intake = intake;
    console.log("\nWebhook intake (signed text messages, open loop)");
    console.table(intake);
  }

  if (parts.has("history")) {
    console.log(`history import of ${historyMessages} messages…`);
    const history = await runHistoryImport({
      baseUrl: system.baseUrl,
      db,
      appSecret: benchAppSecret,
      messages: historyMessages,
      threads: Math.max(1, Math.round(historyMessages / 50)),
      perChunk: 1000,
      run: String(Date.now()),
    });
    results.historyImport = history;
    console.log("\nHistory import (signed chunks, reverse order, from first POST to last row committed)");
    console.table([history]);
  }

  if (parts.has("latency")) {
    console.log(`webhook → browser latency, ${samples} samples…`);
    const latency = await runBrowserLatency({
      baseUrl: system.baseUrl,
      db,
      appSecret: benchAppSecret,
      admin: benchAdmin,
      samples,
    });
    results.webhookToBrowser = latency;
    console.log("\nWebhook POST → text visible in an open thread (ms)");
    console.table([latency]);
  }

  if (parts.has("inbox")) {
    const inbox = await runInboxReads({
      baseUrl: system.baseUrl,
      sql,
      admin: benchAdmin,
      conversations: inboxConversations,
      messages: inboxMessages,
      requests,
    });
    results.inboxReads = inbox;
    console.log(
      `\nInbox reads over HTTP (ms), ${inbox.conversations} conversations and ${inbox.messages} messages on one number, ${requests} requests each`,
    );
    console.table(inbox.reads);
  }
} finally {
  await sql.end();
  await system.stop();
}
mkdirSync("bench/results", { recursive: true });
const file = `bench/results/${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwritten to ${file}`);
