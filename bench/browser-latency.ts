import { chromium } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { contacts, conversations, numbers } from "@/db/schema";
import { demoNumber } from "@/lib/demo";
import { textMessage } from "@/lib/whatsapp/fixtures/build";
import { signPayload, toMetaJson } from "@/lib/whatsapp/signature";
import { startBackgroundLoad } from "./intake";
import { round, summarize } from "./stats";

const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

/**
 * Time from a signed webhook POST to its text appearing in an open inbox thread, measured in the
 * page by a MutationObserver (same machine clock on both sides).
 */
export async function runBrowserLatency(input: {
  baseUrl: string;
  db: Database;
  appSecret: string;
  admin: { email: string; password: string };
  samples: number;
  /** Other signed events per second posted while sampling. */
  backgroundRate?: number;
}) {
  const customer = `1555999${String(Date.now() % 10_000).padStart(4, "0")}`;
  const send = async (text: string, i: number) => {
    const raw = toMetaJson(
      textMessage(demoNumber, { from: customer, name: "Latency probe", wamid: `wamid.latency-${Date.now()}-${i}`, text }),
    );
    const res = await fetch(`${input.baseUrl}/api/webhooks/whatsapp`, {
      method: "POST",
      body: raw,
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

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: chromiumArgs });
  try {
    const page = await browser.newPage();
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
      new MutationObserver(() => {
        for (const match of document.body.textContent.matchAll(/latency-probe-(\d+)-end/g)) w.seen[match[1]!] ??= Date.now();
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
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
    // Samples not visible within 10 s (the system is behind): reported, not waited for.
    let missed = 0;
    try {
      for (let i = 0; i < input.samples; i++) {
        const t0 = Date.now();
        await send(`latency-probe-${i}-end`, i);
        const seen = await page
          .waitForFunction((id) => (window as unknown as { seen: Record<string, number> }).seen[id] !== undefined, String(i), {
            timeout: 10_000,
          })
          .then(
            () => true,
            () => false,
          );
        if (!seen) {
          missed++;
          continue;
        }
        const seenAt = await page.evaluate((id) => (window as unknown as { seen: Record<string, number> }).seen[id]!, String(i));
        latencies.push(seenAt - t0);
        await new Promise((r) => setTimeout(r, 150));
      }
    } finally {
      backgroundErrors = (await background?.stop())?.errors ?? 0;
    }
    const s = summarize(latencies);
    return {
      backgroundErrors,
      missedAfter10s: missed,
      samples: s.count,
      p50Ms: round(s.p50),
      p95Ms: round(s.p95),
      p99Ms: round(s.p99),
      maxMs: round(s.max),
    };
  } finally {
    await browser.close();
  }
}
