import { and, eq, inArray } from "drizzle-orm";
import type { Database, Sql } from "@/db/client";
import { contacts, conversations, messages, numbers } from "@/db/schema";
import { demoNumber } from "@/lib/demo";
import { NOTIFY_CHANNEL } from "@/lib/realtime/events";
import { textMessage } from "@/lib/whatsapp/fixtures/build";
import { signPayload, toMetaJson } from "@/lib/whatsapp/signature";
import { launchBenchBrowser } from "./browser";
import { startBackgroundLoad } from "./intake";
import { round, summarize } from "./stats";
import type { CpuUsed } from "./system";

const PROBE_TIMEOUT_MS = 10_000;
const MISSES_IN_A_ROW = 3;

/**
 * Time from a signed webhook POST to its text appearing in an open inbox thread, measured in the
 * page by a MutationObserver (same machine clock on both sides). Bounded: a probe not acknowledged
 * or not visible within 10 s is a miss, and three misses in a row end the phase (the system is
 * behind, and every later probe would queue behind the same backlog).
 */
export async function runBrowserLatency(input: {
  baseUrl: string;
  db: Database;
  sql: Sql;
  appSecret: string;
  admin: { email: string; password: string };
  samples: number;
  /** Other signed events per second posted while sampling. */
  backgroundRate?: number;
  /** Counts the CPU seconds each part of the system uses: reported per second of sampling. */
  startCpuCount: () => Promise<() => Promise<CpuUsed>>;
}) {
  const customer = `1555999${String(Date.now() % 10_000).padStart(4, "0")}`;
  const wamids = new Map<string, number>();
  const send = async (text: string, i: number) => {
    const wamid = `wamid.latency-${Date.now()}-${i}`;
    wamids.set(wamid, i);
    const raw = toMetaJson(textMessage(demoNumber, { from: customer, name: "Latency probe", wamid, text }));
    const res = await fetch(`${input.baseUrl}/api/webhooks/whatsapp`, {
      method: "POST",
      body: raw,
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      headers: { "content-type": "application/json", "x-hub-signature-256": signPayload(raw, input.appSecret) },
    });
    if (!res.ok) throw new Error(`webhook answered ${res.status}`);
  };
  await send("warm-up", -1);
  let conversationId: string | undefined;
  for (let i = 0; i < 100 && !conversationId; i++) {
    const [row] = await input.db
      .select({ id: conversations.id })
      .from(conversations)
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .innerJoin(numbers, eq(numbers.id, conversations.numberId))
      .where(and(eq(contacts.waId, customer), eq(numbers.phoneNumberId, demoNumber.phoneNumberId)));
    conversationId = row?.id;
    if (!conversationId) await new Promise((r) => setTimeout(r, 100));
  }
  if (!conversationId) throw new Error("the warm-up message was not stored");

  const browser = await launchBenchBrowser();
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    // Where each probe's time went: acknowledged, its row's transaction begun, its notice's socket
    // frame received by the page, drawn (all from the POST, on this machine's clock).
    const sentAt = new Map<number, number>();
    const ackedAt = new Map<number, number>();
    const frameAt = new Map<number, number>();
    // A notification is delivered when its transaction commits: this listener sees the commit.
    const noticeAtByMessage = new Map<string, number>();
    const listener = await input.sql.listen(NOTIFY_CHANNEL, (raw) => {
      if (!raw.includes(conversationId)) return;
      const notice = JSON.parse(raw) as { type: string; messageId?: string };
      if (notice.type === "message" && notice.messageId && !noticeAtByMessage.has(notice.messageId))
        noticeAtByMessage.set(notice.messageId, Date.now());
    });
    page.on("websocket", (ws) =>
      ws.on("framereceived", ({ payload }) => {
        const now = Date.now();
        for (const match of String(payload).matchAll(/latency-probe-(\d+)-end/g))
          if (!frameAt.has(Number(match[1]))) frameAt.set(Number(match[1]), now);
      }),
    );
    await page.goto(`${input.baseUrl}/login`);
    await page.getByLabel("Email").fill(input.admin.email);
    await page.getByLabel("Password").fill(input.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/inbox/);
    await page.goto(`${input.baseUrl}/inbox?c=${conversationId}`);
    await page.getByText("warm-up").first().waitFor();
    await page.evaluate(() => {
      const w = window as unknown as { seen: Record<string, number> };
      w.seen = {};
      // Only the changed nodes are read: scanning the whole page on every list update (hundreds a
      // second under background load) would itself slow the page being measured.
      new MutationObserver((records) => {
        const now = Date.now();
        for (const record of records) {
          const nodes = record.type === "characterData" ? [record.target] : [...record.addedNodes];
          for (const node of nodes)
            for (const match of (node.textContent ?? "").matchAll(/latency-probe-(\d+)-end/g)) w.seen[match[1]!] ??= now;
        }
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    // What the open page asks the server while sampling: live notices should draw without requests.
    let pageApiRequests = 0;
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/api/")) pageApiRequests++;
    });
    const latencies: number[] = [];
    const background = input.backgroundRate
      ? startBackgroundLoad({
          url: `${input.baseUrl}/api/webhooks/whatsapp`,
          appSecret: input.appSecret,
          rate: input.backgroundRate,
          run: `background-${Date.now()}`,
        })
      : null;
    let backgroundErrors = 0;
    let backgroundFirstError: string | undefined;
    let missed = 0;
    let stoppedEarly: string | null = null;
    const cpuUsed = await input.startCpuCount();
    const samplingFrom = Date.now();
    let cpuShares = "";
    try {
      for (let i = 0, inARow = 0; i < input.samples; i++) {
        const t0 = Date.now();
        sentAt.set(i, t0);
        const seen = await send(`latency-probe-${i}-end`, i).then(
          () => {
            ackedAt.set(i, Date.now());
            return page
              .waitForFunction(
                (id) => (window as unknown as { seen: Record<string, number> }).seen[id] !== undefined,
                String(i),
                {
                  timeout: PROBE_TIMEOUT_MS,
                },
              )
              .then(
                () => true,
                () => false,
              );
          },
          () => false,
        );
        if (!seen) {
          missed++;
          if (++inARow < MISSES_IN_A_ROW) continue;
          stoppedEarly = `${MISSES_IN_A_ROW} probes in a row not acknowledged or not visible within ${PROBE_TIMEOUT_MS / 1000} s: the system is behind`;
          console.error(`webhook → browser latency: ${stoppedEarly}; ending this phase`);
          break;
        }
        inARow = 0;
        const seenAt = await page.evaluate((id) => (window as unknown as { seen: Record<string, number> }).seen[id]!, String(i));
        latencies.push(seenAt - t0);
        await new Promise((r) => setTimeout(r, 150));
      }
      // Before the browser closes: its processes' time is gone once they end.
      const used = await cpuUsed();
      const seconds = (Date.now() - samplingFrom) / 1000;
      cpuShares = Object.entries(used)
        .map(([part, partSeconds]) => `${part} ${round(partSeconds / seconds, 2)}`)
        .join(", ");
    } finally {
      const stopped = await background?.stop();
      backgroundErrors = stopped?.errors ?? 0;
      backgroundFirstError = stopped?.firstError;
    }
    const s = summarize(latencies);
    const stored = await input.db
      .select({ id: messages.id, wamid: messages.wamid, createdAt: messages.createdAt })
      .from(messages)
      .where(inArray(messages.wamid, [...wamids.keys()]));
    await listener.unlisten();
    const probeOf = (wamid: string | null) => wamids.get(wamid ?? "") ?? -1;
    const storedAt = new Map(stored.map((r) => [probeOf(r.wamid), r.createdAt.getTime()]));
    const committedAt = new Map(
      stored.flatMap((r) => (noticeAtByMessage.has(r.id) ? [[probeOf(r.wamid), noticeAtByMessage.get(r.id)!] as const] : [])),
    );
    const fromPost = (at: Map<number, number>) =>
      summarize([...at].flatMap(([i, t]) => (sentAt.has(i) ? [t - sentAt.get(i)!] : [])));
    const stages = (pick: (s: ReturnType<typeof summarize>) => number) =>
      `ack ${round(pick(fromPost(ackedAt)))}, row ${round(pick(fromPost(storedAt)))}, commit ${round(pick(fromPost(committedAt)))}, frame ${round(pick(fromPost(frameAt)))}, drawn ${round(pick(s))}`;
    return {
      backgroundErrors,
      ...(backgroundFirstError ? { backgroundFirstError } : {}),
      missedAfter10s: missed,
      pageApiRequests,
      ...(stoppedEarly ? { stoppedEarly } : {}),
      samples: s.count,
      p50Ms: round(s.p50),
      p95Ms: round(s.p95),
      p99Ms: round(s.p99),
      maxMs: round(s.max),
      stagesP50Ms: stages((stage) => stage.p50),
      stagesP99Ms: stages((stage) => stage.p99),
      cpuCoresWhileSampling: cpuShares,
    };
  } finally {
    await browser.close();
  }
}
