import type { Sql } from "@/db/client";
import { demoNumber } from "@/lib/demo";
import { seedInbox } from "../scripts/seed/seed-inbox";
import { launchBenchBrowser } from "./browser";
import { round, summarize } from "./stats";

type PageLoad = { askedMs: number; requestMs: number; drawnMs: number };
type Probe = {
  loads: PageLoad[];
  longTasks: number[];
  frames: number[];
  pending: { start: number; end?: number }[];
};

/**
 * A long thread read to its beginning in Chromium: one conversation of `messages` messages seeded
 * straight into the tables, opened, then scrolled to the top again and again. Per older page: the
 * time from its request to the frame that draws it (the log's content grew), and the request alone.
 * Reading stops at the start of the conversation or when the time budget is spent. While scrolling:
 * long tasks and frame gaps. At the end: the page's element count and the bubbles in the DOM.
 */
export async function runThreadScroll(input: {
  baseUrl: string;
  sql: Sql;
  admin: { email: string; password: string };
  messages: number;
  /** Reading stops here if the start is not reached: a slow log would otherwise take hours. */
  budgetSeconds: number;
}) {
  const [number] = await input.sql<{ id: string }[]>`select id from numbers where phone_number_id = ${demoNumber.phoneNumberId}`;
  if (!number) throw new Error("demo number missing");
  const { longThreadId } = await seedInbox(input.sql, { numberId: number.id, conversations: 1, messages: input.messages });

  const browser = await launchBenchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(60_000);
    // The transpiler names inner functions with a helper of its own, which the page lacks.
    await page.addInitScript({ content: "globalThis.__name = (fn) => fn;" });
    await page.addInitScript(() => {
      const probe: Probe = { loads: [], longTasks: [], frames: [], pending: [] };
      (window as unknown as { probe: Probe }).probe = probe;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) probe.longTasks.push(entry.duration);
      }).observe({ type: "longtask", buffered: true });
      // Older pages are the message requests with a cursor; their start and end are kept in order.
      const fetch = window.fetch.bind(window);
      window.fetch = async (resource, init) => {
        const url = resource instanceof Request ? resource.url : String(resource);
        if (!/\/messages\?.*before=/.test(url)) return fetch(resource, init);
        const record: { start: number; end?: number } = { start: performance.now() };
        probe.pending.push(record);
        const response = await fetch(resource, init);
        record.end = performance.now();
        return response;
      };
    });
    await page.goto(`${input.baseUrl}/login`);
    await page.getByLabel("Email").fill(input.admin.email);
    await page.getByLabel("Password").fill(input.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/inbox/);
    await page.goto(`${input.baseUrl}/inbox?c=${longThreadId}`);
    const log = page.getByRole("log", { name: "Messages" });
    await log.locator("[data-message-id]").first().waitFor();
    await page.evaluate(() => {
      const probe = (window as unknown as { probe: Probe }).probe;
      probe.longTasks.length = 0;
      let last = performance.now();
      const tick = (now: number) => {
        probe.frames.push(now - last);
        last = now;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });

    const started = Date.now();
    let reachedTheStart = false;
    while (!reachedTheStart && Date.now() - started < input.budgetSeconds * 1000) {
      reachedTheStart = await page.evaluate(async () => {
        const probe = (window as unknown as { probe: Probe }).probe;
        const el = document.querySelector<HTMLElement>('[role="log"]')!;
        if (el.textContent?.includes("Start of the conversation")) return true;
        const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
        // A reader takes a moment before scrolling on: the drawn page settles first.
        for (let i = 0; i < 10; i++) await frame();
        const requests = probe.pending.length;
        const height = el.scrollHeight;
        const scrolledAt = performance.now();
        el.scrollTop = 0;
        const until = performance.now() + 120_000;
        // Drawn: the frame after the log's content grew past what it held before the request.
        while (performance.now() < until) {
          const at = await frame();
          const record = probe.pending[requests];
          if (record?.end !== undefined && el.scrollHeight > height) {
            probe.loads.push({
              askedMs: record.start - scrolledAt,
              requestMs: record.end - record.start,
              drawnMs: at - record.start,
            });
            return false;
          }
          if (!record && performance.now() > until - 115_000) el.scrollTop = 0;
        }
        throw new Error(
          `no older page was drawn within 120 s (${probe.loads.length} drawn, ${probe.pending.length} requested, top ${el.scrollTop}, height ${el.scrollHeight} was ${height})`,
        );
      });
    }
    const totalSeconds = (Date.now() - started) / 1000;
    const result = await page.evaluate(() => {
      const probe = (window as unknown as { probe: Probe }).probe;
      return {
        loads: probe.loads,
        longTasks: probe.longTasks,
        frames: probe.frames,
        elements: document.getElementsByTagName("*").length,
        bubbles: document.querySelectorAll('[role="log"] [data-message-id]').length,
      };
    });
    const drawn = summarize(result.loads.map((l) => l.drawnMs));
    const request = summarize(result.loads.map((l) => l.requestMs));
    const asked = summarize(result.loads.map((l) => l.askedMs));
    const lastTen = summarize(result.loads.slice(-10).map((l) => l.drawnMs));
    const frames = summarize(result.frames);
    return {
      messages: input.messages,
      olderPages: result.loads.length,
      reachedTheStart,
      seconds: round(totalSeconds, 1),
      pageRequestToDrawnP50Ms: round(drawn.p50),
      pageRequestToDrawnP95Ms: round(drawn.p95),
      lastTenPagesRequestToDrawnP50Ms: round(lastTen.p50),
      pageRequestOnlyP50Ms: round(request.p50),
      topToRequestP50Ms: round(asked.p50),
      topToRequestP95Ms: round(asked.p95),
      longTasks: result.longTasks.length,
      longTaskTotalMs: Math.round(result.longTasks.reduce((a, b) => a + b, 0)),
      longestTaskMs: Math.round(Math.max(0, ...result.longTasks)),
      frameP95Ms: round(frames.p95),
      frameMaxMs: round(frames.max),
      elementsAtTheStart: result.elements,
      bubblesInTheDom: result.bubbles,
    };
  } finally {
    await browser.close();
  }
}
