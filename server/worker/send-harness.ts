import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import type { Database, Sql } from "@/db/client";
import { contacts, conversations, numberAccess } from "@/db/schema";
import { createNumber, createUser, TEST_SECRET } from "@/db/testing/factories";
import { encryptSecret } from "@/lib/crypto";
import { processWebhookEvents } from "@/lib/services/webhooks/process-webhook-events";
import { receiveWebhook } from "@/lib/services/webhooks/receive-webhook";
import { createGraphClient } from "@/lib/whatsapp/graph-client";
import { createSandbox, type SandboxOptions } from "../sandbox/create-sandbox";

/**
 * Tandem's webhook intake, minus HTTP details tested elsewhere: stores each body, then applies it
 * right away. `close` waits for every body still being applied: a sandbox closing aborts its
 * request, and without the wait the apply would outlive the test file's database pool.
 */
export async function startTestIntake(ctx: { db: Database; sql: Sql; actor: { kind: "system"; name: string } }) {
  const inFlight = new Set<Promise<void>>();
  const failures: unknown[] = [];
  async function apply(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // the sender gave up mid-body: nothing was stored, as in the real intake
    }
    try {
      const { eventId } = await receiveWebhook({ ctx, input: { raw: Buffer.concat(chunks) } });
      if (eventId !== null) await processWebhookEvents({ ctx, input: { eventIds: [eventId] } });
      res.writeHead(200).end("{}");
    } catch (error) {
      failures.push(error);
      if (!res.headersSent) res.writeHead(500).end();
    }
  }
  const server = createServer((req, res) => {
    const work = apply(req, res).finally(() => inFlight.delete(work));
    inFlight.add(work);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    /** Stops taking bodies, waits for those being applied, and fails if any could not be. */
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(inFlight);
      if (failures.length > 0) throw new AggregateError(failures, "the test intake could not apply a webhook");
    },
  };
}

/**
 * Integration-test setup for the send path over real HTTP: a number of its own in PostgreSQL, a Meta
 * sandbox playing that number, Tandem's webhook intake applying what the sandbox sends, and an agent
 * (not an admin) granted the number.
 */
export async function startSendHarness(
  handle: { db: Database; sql: Sql },
  options: Partial<SandboxOptions> & { sendTimeoutMs?: number } = {},
) {
  const { db } = handle;
  const ctx = { db, sql: handle.sql, actor: { kind: "system", name: "test" } } as const;
  const digits = () => Array.from(randomBytes(14), (b) => String(b % 10)).join("");
  const accessToken = `token-${randomBytes(8).toString("hex")}`;
  const number = await createNumber(db, { accessTokenEncrypted: encryptSecret(accessToken, TEST_SECRET) });
  const sandboxNumber = {
    wabaId: number.wabaId,
    phoneNumberId: number.phoneNumberId,
    displayPhoneNumber: number.displayPhoneNumber,
    verifiedName: number.verifiedName,
    accessToken,
  };
  const intake = await startTestIntake(ctx);
  const sandbox = createSandbox({
    appSecret: "send-test-secret",
    webhookUrl: intake.url,
    statusDelayMs: 10,
    retryDelaysMs: [20, 40],
    log: () => {},
    number: sandboxNumber,
    ...options,
  });
  const { url } = await sandbox.listen(0, "127.0.0.1");
  const graph = createGraphClient({ baseUrl: url, version: "v24.0", sendTimeoutMs: options.sendTimeoutMs });

  const agent = await createUser(db, { role: "agent", name: "Agent Ada" });
  await db.insert(numberAccess).values({ userId: agent.id, numberId: number.id });
  const agentCtx = { db, actor: { kind: "user", userId: agent.id, role: "agent", name: agent.name } } as const;

  /** The customer writes from their phone (a live, signed webhook): opens the window. */
  async function customerWrites(text = "Hello, is my order ready?", waId = `1650${digits().slice(0, 7)}`) {
    const response = await fetch(`${url}/phone/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ waId, name: "Casey Customer", text, side: "customer" }),
    });
    if (response.status !== 200) throw new Error(`phone send answered ${response.status}`);
    const [row] = await db
      .select({ conversation: conversations })
      .from(conversations)
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .where(and(eq(conversations.numberId, number.id), eq(contacts.waId, waId)));
    if (!row) throw new Error("the customer's message did not reach Tandem");
    return { waId, conversation: row.conversation };
  }

  return {
    number,
    sandbox,
    sandboxUrl: url,
    accessToken,
    graph,
    agentCtx,
    sendCtx: { ...ctx, secret: TEST_SECRET },
    customerWrites,
    async close() {
      await sandbox.close();
      await intake.close();
    },
  };
}
