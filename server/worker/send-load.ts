import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createDb } from "@/db/client";
import { migrateDatabase, recreateDatabase } from "@/db/migrate";
import { contacts, conversations, messages, numbers } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto";
import { enqueueSend } from "@/lib/services/messages/send-queue";
import { createSandbox, type Sandbox } from "../sandbox/create-sandbox";
import type { SendAttempt } from "../sandbox/send-limits";

/**
 * Measures the outbound queue under load, for a test and the bench: a fresh database, one Meta
 * sandbox per number behind one Graph URL, N queued messages per number (each to its own customer),
 * and real worker processes. Rates are measured from the times the sandboxes saw the sends.
 */
export type SendLoadOptions = {
  databaseUrl: string;
  numbers: number;
  messagesPerNumber: number;
  workers: number;
  workerConcurrency?: number;
  timeoutMs?: number;
};

export type NumberFigures = {
  accepted: number;
  refused: Record<string, number>;
  seconds: number;
  ratePerSecond: number;
  /** Most accepted sends in any one-second window, and most attempts (refused ones included). */
  maxAcceptedPerSecond: number;
  maxAttemptsPerSecond: number;
};

const authSecret = "send-load-secret-0123456789";

export async function runSendLoad(options: SendLoadOptions) {
  await recreateDatabase(options.databaseUrl);
  await migrateDatabase(options.databaseUrl);
  const { db, sql } = createDb(options.databaseUrl, { max: 4 });
  const closers: (() => Promise<void>)[] = [];
  const workers: ChildProcess[] = [];
  try {
    const sink = createServer((_req, res) => res.writeHead(200).end("{}"));
    await listen(sink);
    closers.push(() => close(sink));

    const sandboxes = new Map<string, { sandbox: Sandbox; port: number }>();
    for (let i = 0; i < options.numbers; i++) {
      const token = `load-${randomBytes(6).toString("hex")}`;
      const [number] = await db
        .insert(numbers)
        .values({
          phoneNumberId: `9${String(i).padStart(14, "0")}`,
          wabaId: `8${String(i).padStart(14, "0")}`,
          displayPhoneNumber: `1555000${String(i).padStart(4, "0")}`,
          accessTokenEncrypted: encryptSecret(token, authSecret),
          onboardedAt: new Date(Date.now() - 3600_000),
        })
        .returning();
      const sandbox = createSandbox({
        appSecret: "load-secret",
        webhookUrl: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`,
        statusDelayMs: 60_000,
        log: () => {},
        number: { ...number!, accessToken: token },
      });
      const { url } = await sandbox.listen(0, "127.0.0.1");
      closers.push(() => sandbox.close());
      sandboxes.set(number!.phoneNumberId, { sandbox, port: Number(new URL(url).port) });
      await queueMessages(db, number!.id, i, options.messagesPerNumber);
    }

    // One Graph URL for every worker, routed by phone number id to that number's sandbox.
    const router = createServer((req, res) => {
      const target = sandboxes.get(/^\/v[\d.]+\/([^/]+)\//.exec(req.url ?? "")?.[1] ?? "");
      if (!target) return void res.writeHead(404).end();
      const upstream = request(
        { host: "127.0.0.1", port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await listen(router);
    closers.push(() => close(router));

    const total = options.numbers * options.messagesPerNumber;
    for (let i = 0; i < options.workers; i++) {
      workers.push(
        spawn(path.resolve("node_modules/.bin/tsx"), ["--conditions=react-server", "server/worker/main.ts"], {
          env: {
            ...process.env,
            DATABASE_URL: options.databaseUrl,
            AUTH_SECRET: authSecret,
            META_APP_SECRET: "load-secret",
            META_GRAPH_URL: `http://127.0.0.1:${(router.address() as AddressInfo).port}`,
            WORKER_CONCURRENCY: String(options.workerConcurrency ?? 8),
            WEBHOOK_PROCESSOR_LOOPS: "1",
          },
          stdio: ["ignore", "ignore", "inherit"],
        }),
      );
    }

    const all = () => [...sandboxes.values()].flatMap(({ sandbox }) => sandbox.limits.attempts());
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    while (all().filter((a) => a.outcome === "accepted").length < total) {
      if (Date.now() > deadline)
        throw new Error(`only ${all().filter((a) => a.outcome === "accepted").length} of ${total} sent in time`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const perNumber = [...sandboxes.values()].map(({ sandbox }) => figures(sandbox.limits.attempts()));
    return { perNumber, overall: figures(all()) };
  } finally {
    for (const worker of workers) worker.kill("SIGTERM");
    await Promise.all(
      workers.map((w) => new Promise((resolve) => (w.exitCode !== null ? resolve(null) : w.once("exit", resolve)))),
    );
    for (const closer of closers.reverse()) await closer();
    await sql.end({ timeout: 5 });
  }
}

async function queueMessages(db: ReturnType<typeof createDb>["db"], numberId: string, numberIndex: number, count: number) {
  const now = new Date();
  const contactRows = await db
    .insert(contacts)
    .values(
      Array.from({ length: count }, (_, i) => ({
        numberId,
        waId: `1${String(numberIndex).padStart(3, "0")}${String(i).padStart(8, "0")}`,
      })),
    )
    .returning({ id: contacts.id });
  const conversationRows = await db
    .insert(conversations)
    .values(contactRows.map((c) => ({ numberId, contactId: c.id, lastCustomerMessageAt: now, lastMessageAt: now })))
    .returning({ id: conversations.id, contactId: conversations.contactId });
  const messageRows = await db
    .insert(messages)
    .values(
      conversationRows.map((c, i) => ({
        numberId,
        conversationId: c.id,
        contactId: c.contactId,
        direction: "outbound" as const,
        origin: "agent" as const,
        type: "text",
        body: `Load message ${i}`,
        content: { text: { body: `Load message ${i}` } },
        status: "queued" as const,
        sentAt: now,
      })),
    )
    .returning({ id: messages.id, conversationId: messages.conversationId });
  for (const message of messageRows) await enqueueSend(db, message);
}

export function figures(attempts: SendAttempt[]): NumberFigures {
  const accepted = attempts
    .filter((a) => a.outcome === "accepted")
    .map((a) => a.at)
    .sort((a, b) => a - b);
  const refused: Record<string, number> = {};
  for (const a of attempts) if (a.outcome !== "accepted") refused[a.outcome] = (refused[a.outcome] ?? 0) + 1;
  const seconds = accepted.length > 1 ? (accepted.at(-1)! - accepted[0]!) / 1000 : 0;
  return {
    accepted: accepted.length,
    refused,
    seconds: Math.round(seconds * 100) / 100,
    ratePerSecond: seconds > 0 ? Math.round(((accepted.length - 1) / seconds) * 10) / 10 : 0,
    maxAcceptedPerSecond: maxInWindow(accepted, 1000),
    maxAttemptsPerSecond: maxInWindow(
      attempts.map((a) => a.at).sort((a, b) => a - b),
      1000,
    ),
  };
}

/** Most timestamps in any half-open window [t, t + width). */
export function maxInWindow(sorted: number[], width: number) {
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= width) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

const listen = (server: Server) => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
