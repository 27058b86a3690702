import { type ChildProcess, spawn } from "node:child_process";
import { and, count, eq } from "drizzle-orm";
import { createDb } from "@/db/client";
import { migrateDatabase, recreateDatabase } from "@/db/migrate";
import { conversations, messages, numbers, webhookEvents } from "@/db/schema";
import { demoNumber } from "@/lib/demo";
import { ensureDemoNumber } from "@/lib/services/numbers/ensure-demo-number";
import { ensureAdminFromEnv } from "@/lib/services/users/create-first-admin";
import { textMessage } from "@/lib/whatsapp/fixtures/build";
import { signPayload, toMetaJson } from "@/lib/whatsapp/signature";
import { e2e, expect, test, unique } from "./fixtures";

/**
 * Two of each process against one PostgreSQL, each started alone as on its own machine (the
 * compiled processes of `npm run build`): a webhook posted to web A is applied by a worker and
 * drawn in a browser that web B connected to realtime B, exactly once.
 */
const base = Number(new URL(e2e.baseURL).port) + 20;
const ports = { webA: base, webB: base + 1, realtimeA: base + 2, realtimeB: base + 3 };
const url = (port: number) => `http://127.0.0.1:${port}`;
const secrets = {
  AUTH_SECRET: "scale-out-auth-secret-0123456789",
  META_APP_SECRET: "scale-out-app-secret",
  META_VERIFY_TOKEN: "scale-out-verify",
};
const agent = { email: "scale@example.com", password: "scale-out-password-1" };

const databaseUrl = (() => {
  const source = new URL(process.env.E2E_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/tandem_e2e");
  source.pathname = `${source.pathname}_scale`;
  return source.toString();
})();

const children: ChildProcess[] = [];
function startProcess(entry: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [`dist/${entry}.mjs`], {
    env: {
      ...process.env,
      ...secrets,
      DATABASE_URL: databaseUrl,
      META_APP_ID: "",
      META_GRAPH_URL: "http://127.0.0.1:9",
      TANDEM_MEDIA_DIR: ".data/e2e-scale/media",
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
}

async function waitUntilUp(address: string) {
  for (let i = 0; i < 240; i++) {
    if (
      await fetch(address).then(
        (r) => r.status < 500,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${address} did not come up`);
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await recreateDatabase(databaseUrl);
  await migrateDatabase(databaseUrl);
  const { db, sql } = createDb(databaseUrl, { max: 1 });
  const ctx = { db, actor: { kind: "system", name: "test" } as const, secret: secrets.AUTH_SECRET };
  await ensureDemoNumber({ ctx });
  await ensureAdminFromEnv({ ctx, input: agent });
  await sql.end();

  for (const [web, realtime] of [
    [ports.webA, ports.realtimeA],
    [ports.webB, ports.realtimeB],
  ] as const) {
    startProcess("realtime", { REALTIME_PORT: String(realtime), WEB_ORIGIN: url(web) });
    startProcess("web", {
      NODE_ENV: "production",
      PORT: String(web),
      NEXTAUTH_URL: url(web),
      REALTIME_PUBLIC_URL: url(realtime),
    });
    startProcess("worker", { WORKER_CONCURRENCY: "2" });
  }
  await Promise.all([ports.webA, ports.webB].map((p) => waitUntilUp(`${url(p)}/login`)));
  await Promise.all([ports.realtimeA, ports.realtimeB].map((p) => waitUntilUp(`${url(p)}/health`)));
});

test.afterAll(async () => {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    ),
  );
});

test("a webhook posted to web A is applied by a worker and reaches a browser on realtime B, exactly once", async ({ page }) => {
  const customer = `1555${Date.now().toString().slice(-7)}`;
  const post = async (text: string) => {
    const raw = toMetaJson(
      textMessage(demoNumber, { from: customer, name: "Scale Customer", wamid: `wamid.scale-${unique("m")}`, text }),
    );
    const response = await fetch(`${url(ports.webA)}/api/webhooks/whatsapp`, {
      method: "POST",
      body: raw,
      headers: { "content-type": "application/json", "x-hub-signature-256": signPayload(raw, secrets.META_APP_SECRET) },
    });
    expect(response.status).toBe(200);
  };
  const { db, sql } = createDb(databaseUrl, { max: 1 });
  try {
    const first = unique("First, through web A");
    await post(first);
    await expect.poll(async () => (await db.select().from(conversations)).length, { timeout: 15_000 }).toBe(1);
    const [conversation] = await db.select().from(conversations);

    const sockets: string[] = [];
    page.on("websocket", (ws) => sockets.push(ws.url()));
    await page.goto(`${url(ports.webB)}/login`);
    await page.getByLabel("Email").fill(agent.email);
    await page.getByLabel("Password").fill(agent.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/inbox/);
    await page.goto(`${url(ports.webB)}/inbox?c=${conversation!.id}`);
    const thread = page.getByRole("log", { name: "Messages" });
    await expect(thread.getByText(first)).toBeVisible();
    await expect(page.getByText("Live", { exact: true })).toBeVisible();
    expect(sockets.some((s) => s.startsWith(`ws://127.0.0.1:${ports.realtimeB}/`))).toBe(true);

    // Only a push through realtime B can draw it this fast: polling is off while the socket is live.
    const second = unique("Second, through web A");
    await post(second);
    await expect(thread.getByText(second)).toBeVisible({ timeout: 5_000 });
    await expect(thread.getByText(second)).toHaveCount(1);

    const [number] = await db.select().from(numbers).where(eq(numbers.phoneNumberId, demoNumber.phoneNumberId));
    const [stored] = await db
      .select({ n: count() })
      .from(messages)
      .where(and(eq(messages.numberId, number!.id), eq(messages.body, second)));
    expect(stored!.n).toBe(1);
    const events = await db.select({ status: webhookEvents.status }).from(webhookEvents);
    expect(events.map((e) => e.status)).toEqual(["processed", "processed"]);
  } finally {
    await sql.end();
  }
});
