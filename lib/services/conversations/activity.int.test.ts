import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contacts, conversations } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createAgent, createNumber, createUser, ctxAs, newWaId, newWamid } from "@/db/testing/factories";
import { type DbNotice, NOTIFY_CHANNEL } from "@/lib/realtime/events";
import { echo, textMessage } from "@/lib/whatsapp/fixtures/build";
import { toMetaJson } from "@/lib/whatsapp/signature";
import { processWebhookEvents } from "../webhooks/process-webhook-events";
import { receiveWebhook } from "../webhooks/receive-webhook";
import { updateConversation } from "./update-conversation";

const { db, sql } = connectTestDatabase();
const ctx = { db, sql, actor: { kind: "webhook" } } as const;
const heard: DbNotice[] = [];
let unlisten: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const { unlisten: stop } = await sql.listen(NOTIFY_CHANNEL, (raw) => heard.push(JSON.parse(raw) as DbNotice));
  unlisten = stop;
});
afterAll(() => unlisten?.());

async function deliver(body: unknown) {
  const { eventId } = await receiveWebhook({ ctx, input: { raw: Buffer.from(toMetaJson(body)) } });
  if (eventId !== null) await processWebhookEvents({ ctx, input: { eventIds: [eventId] } });
}

/** Activity notices of one number, once the marker notice sent after them has arrived. */
async function activityOf(numberId: string) {
  const marker = crypto.randomUUID();
  await sql`select pg_notify(${NOTIFY_CHANNEL}, ${JSON.stringify({ type: "number", numberId: marker })})`;
  await expect.poll(() => heard.some((n) => n.type === "number" && n.numberId === marker)).toBe(true);
  return heard.filter((n) => n.type === "activity" && n.numberId === numberId);
}

describe("activity notices for alerts", () => {
  it("a first customer message is a new conversation; the next ones name the assignee; echoes announce nothing", async () => {
    const number = await createNumber(db);
    const customer = newWaId();
    await deliver(textMessage(number, { from: customer, name: "Kim", wamid: newWamid(), text: "Hello" }));
    const [contact] = await db
      .select()
      .from(contacts)
      .where(and(eq(contacts.numberId, number.id), eq(contacts.waId, customer)));
    const [conversation] = await db.select().from(conversations).where(eq(conversations.contactId, contact!.id));
    expect(await activityOf(number.id)).toEqual([
      {
        type: "activity",
        numberId: number.id,
        conversationId: conversation!.id,
        kind: "new_conversation",
        assigneeId: null,
        actorId: null,
      },
    ]);

    const admin = await createUser(db);
    const agent = await createAgent(db, [number.id]);
    await updateConversation({ ctx: ctxAs(db, admin), input: { conversationId: conversation!.id, assigneeId: agent.id } });
    await deliver(echo(number, { to: customer, wamid: newWamid(), content: { body: "From the phone" } }));
    await deliver(textMessage(number, { from: customer, name: "Kim", wamid: newWamid(), text: "Any news?" }));
    expect((await activityOf(number.id)).slice(1)).toEqual([
      {
        type: "activity",
        numberId: number.id,
        conversationId: conversation!.id,
        kind: "assigned",
        assigneeId: agent.id,
        actorId: admin.id,
      },
      {
        type: "activity",
        numberId: number.id,
        conversationId: conversation!.id,
        kind: "customer_message",
        assigneeId: agent.id,
        actorId: null,
      },
    ]);
  });
});
