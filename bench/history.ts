import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { historySyncs, numbers } from "@/db/schema";
import { demoNumber } from "@/lib/demo";
import { type HistoryMessage, historyChunk } from "@/lib/whatsapp/fixtures/build";
import { signPayload, toMetaJson } from "@/lib/whatsapp/signature";
import { round } from "./stats";

/**
 * History import: `messages` messages in `threads` threads, delivered as signed history webhooks of
 * about `perChunk` messages each (phases 0-2, progress rising to 100), a few at a time. Reports
 * messages per second from the first POST to the last row committed.
 */
export async function runHistoryImport(input: {
  baseUrl: string;
  db: Database;
  appSecret: string;
  messages: number;
  threads: number;
  perChunk: number;
  run: string;
}) {
  const [number] = await input.db.select().from(numbers).where(eq(numbers.phoneNumberId, demoNumber.phoneNumberId));
  if (!number) throw new Error("demo number missing");
  const [before] = await input.db.select().from(historySyncs).where(eq(historySyncs.numberId, number.id));
  const baseline = before?.messagesImported ?? 0;

  const perThread = Math.ceil(input.messages / input.threads);
  const threadsPerChunk = Math.max(1, Math.floor(input.perChunk / perThread));
  const onboarded = Math.floor(number.onboardedAt.getTime() / 1000);
  const bodies: string[] = [];
  for (let first = 0, chunk = 0; first < input.threads; first += threadsPerChunk, chunk++) {
    const threadIds = Array.from({ length: Math.min(threadsPerChunk, input.threads - first) }, (_, i) => first + i);
    const progress = Math.min(100, Math.round(((first + threadIds.length) / input.threads) * 100));
    const phase = progress < 34 ? 0 : progress < 67 ? 1 : 2;
    bodies.push(
      toMetaJson(
        historyChunk(demoNumber, {
          phase,
          chunkOrder: chunk + 1,
          progress,
          threads: threadIds.map((t) => {
            const customer = `1777${input.run.slice(-3)}${String(t).padStart(5, "0")}`;
            return {
              id: customer,
              messages: Array.from(
                { length: perThread },
                (_, m): HistoryMessage => ({
                  wamid: `wamid.hist-${input.run}-${t}-${m}`,
                  from: m % 2 ? demoNumber.displayPhoneNumber : customer,
                  timestamp: onboarded - 86_400 * 170 + t * 600 + m * 60,
                  text: m % 2 ? `Reply ${m} about order #${t}` : `Question ${m} about my order #${t} — merci`,
                  placeholder: m % 17 === 5,
                  status: "READ",
                }),
              ),
            };
          }),
        }),
      ),
    );
  }
  // Chunks are not guaranteed to arrive in order; neither are they here.
  bodies.reverse();
  const bytes = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0);

  const started = performance.now();
  let next = 0;
  const post = async () => {
    while (next < bodies.length) {
      const raw = bodies[next++]!;
      const res = await fetch(`${input.baseUrl}/api/webhooks/whatsapp`, {
        method: "POST",
        body: raw,
        headers: { "content-type": "application/json", "x-hub-signature-256": signPayload(raw, input.appSecret) },
      });
      if (!res.ok) throw new Error(`history webhook answered ${res.status}`);
    }
  };
  await Promise.all([post(), post(), post(), post()]);
  const acknowledged = (performance.now() - started) / 1000;

  const expected = perThread * input.threads;
  let imported = 0;
  while (performance.now() - started < 600_000) {
    const [sync] = await input.db.select().from(historySyncs).where(eq(historySyncs.numberId, number.id));
    imported = (sync?.messagesImported ?? 0) - baseline;
    if (imported >= expected) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    messages: expected,
    threads: input.threads,
    chunks: bodies.length,
    megabytes: round(bytes / 2 ** 20),
    imported,
    allAcknowledgedSeconds: round(acknowledged, 2),
    lastRowCommittedSeconds: round(seconds, 2),
    messagesPerSecond: Math.round(imported / seconds),
  };
}
