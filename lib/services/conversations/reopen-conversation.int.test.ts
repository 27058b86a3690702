import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { contacts, conversations } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createNumber, newWaId } from "@/db/testing/factories";
import { echo, textMessage } from "@/lib/whatsapp/fixtures/build";
import { toMetaJson } from "@/lib/whatsapp/signature";
import { processWebhookEvents } from "../webhooks/process-webhook-events";
import { receiveWebhook } from "../webhooks/receive-webhook";

const { db, sql } = connectTestDatabase();
const ctx = { db, sql, actor: { kind: "webhook" } } as const;

async function deliver(body: unknown) {
  const { eventId } = await receiveWebhook({ ctx, input: { raw: Buffer.from(toMetaJson(body)) } });
  if (eventId !== null) await processWebhookEvents({ ctx, input: { eventIds: [eventId] } });
}

const now = () => Math.floor(Date.now() / 1000);
let seq = 0;
const wamid = () => `wamid.reopen-${Date.now()}-${seq++}`;

describe("reopening", () => {
  it.each(["resolved", "pending", "snoozed"] as const)(
    "a customer reply moves a %s conversation back to open; a phone echo never does",
    async (status) => {
      const number = await createNumber(db);
      const customer = newWaId();
      await deliver(textMessage(number, { from: customer, wamid: wamid(), text: "Hello", timestamp: now() - 60 }));
      const [row] = await db
        .select({ id: conversations.id })
        .from(conversations)
        .innerJoin(contacts, eq(contacts.id, conversations.contactId))
        .where(eq(contacts.waId, customer));
      const statusNow = async () =>
        (await db.select({ status: conversations.status }).from(conversations).where(eq(conversations.id, row!.id)))[0]!.status;
      const snoozedUntil = status === "snoozed" ? new Date(Date.now() + 3600_000) : null;
      await db.update(conversations).set({ status, snoozedUntil }).where(eq(conversations.id, row!.id));

      await deliver(echo(number, { to: customer, wamid: wamid(), timestamp: now() - 50, content: { body: "From the phone" } }));
      expect(await statusNow()).toBe(status);

      await deliver(textMessage(number, { from: customer, wamid: wamid(), text: "Still there?", timestamp: now() - 40 }));
      expect(await statusNow()).toBe("open");
      const [after] = await db.select().from(conversations).where(eq(conversations.id, row!.id));
      expect(after!.snoozedUntil).toBeNull();
    },
  );
});
