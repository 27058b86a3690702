import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listMessages } from "@/db/queries/messages";
import { contacts, conversations } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createNumber, newWaId, newWamid } from "@/db/testing/factories";
import { textMessage } from "@/lib/whatsapp/fixtures/build";
import { toMetaJson } from "@/lib/whatsapp/signature";
import type { Ctx } from "../context";
import { processWebhookEvents } from "../webhooks/process-webhook-events";
import { receiveWebhook } from "../webhooks/receive-webhook";

const { db, sql } = connectTestDatabase();
const ctx = { db, sql, actor: { kind: "webhook" } } satisfies Ctx;

async function threadOf(numberId: string, waId: string) {
  const [row] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(and(eq(conversations.numberId, numberId), eq(contacts.waId, waId)));
  const page = await listMessages(db, { conversationId: row!.id, limit: 50 });
  return page.map((m) => m.body).reverse();
}

describe("messages sent within one second", () => {
  it("are shown in the order they arrived (WhatsApp stamps whole seconds)", async () => {
    const number = await createNumber(db, { onboardedAt: new Date(Date.now() - 60_000) });
    const customer = newWaId();
    const second = Math.floor(Date.now() / 1000);
    const texts = Array.from({ length: 12 }, (_, i) => `Part ${i + 1} of 12`);
    const eventIds: number[] = [];
    for (const text of texts) {
      const body = textMessage(number, { from: customer, name: "Quick Typist", wamid: newWamid(), text, timestamp: second });
      const { eventId } = await receiveWebhook({ ctx, input: { raw: Buffer.from(toMetaJson(body)) } });
      eventIds.push(eventId!);
    }
    // One batch, as the worker claims them, and then one text at a time.
    await processWebhookEvents({ ctx, input: { eventIds: eventIds.slice(0, 8) } });
    for (const id of eventIds.slice(8)) await processWebhookEvents({ ctx, input: { eventIds: [id] } });
    expect(await threadOf(number.id, customer)).toEqual(texts);
  });
});
