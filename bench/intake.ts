import { Agent, request } from "node:http";
import { and, count, eq, like } from "drizzle-orm";
import type { Database } from "@/db/client";
import { messages, numbers } from "@/db/schema";
import { demoNumber } from "@/lib/demo";
import { textMessage } from "@/lib/whatsapp/fixtures/build";
import { signPayload, toMetaJson } from "@/lib/whatsapp/signature";
import { round, summarize } from "./stats";

const agent = new Agent({ keepAlive: true, maxSockets: 512 });

function post(url: URL, body: string, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
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

/**
 * Open-loop load: signed text-message webhooks POSTed at a fixed rate for `seconds`; reports the
 * sustained rate, acknowledgement latency and, after the worker drains, how many messages were stored.
 */
export async function runIntake(input: {
  baseUrl: string;
  db: Database;
  appSecret: string;
  rate: number;
  seconds: number;
  run: string;
}) {
  const url = new URL(`${input.baseUrl}/api/webhooks/whatsapp`);
  const total = input.rate * input.seconds;
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / input.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const raw = toMetaJson(
      textMessage(demoNumber, {
        from: `1555${String(i % 1000).padStart(7, "0")}`,
        name: `Bench customer ${i % 1000}`,
        wamid: `wamid.bench-${input.run}-${i}`,
        text: `Load message ${i} — ça va?`,
      }),
    );
    const signature = signPayload(raw, input.appSecret);
    const t0 = performance.now();
    pending.push(
      post(url, raw, signature).then(
        (status) => {
          if (status === 200) latencies.push(performance.now() - t0);
          else errors++;
        },
        () => {
          errors++;
        },
      ),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;

  const [number] = await input.db.select().from(numbers).where(eq(numbers.phoneNumberId, demoNumber.phoneNumberId));
  const countStored = async () =>
    (
      await input.db
        .select({ n: count() })
        .from(messages)
        .where(and(eq(messages.numberId, number!.id), like(messages.wamid, `wamid.bench-${input.run}-%`)))
    )[0]!.n;
  const drainStart = performance.now();
  let stored = await countStored();
  while (stored < total && performance.now() - drainStart < 120_000) {
    await new Promise((r) => setTimeout(r, 250));
    stored = await countStored();
  }
  const s = summarize(latencies);
  return {
    targetRate: input.rate,
    sent: total,
    acknowledged: latencies.length,
    errors,
    sustainedRate: round(latencies.length / elapsed),
    ackP50Ms: round(s.p50),
    ackP99Ms: round(s.p99),
    stored,
    drainSeconds: round((performance.now() - drainStart) / 1000, 2),
  };
}
