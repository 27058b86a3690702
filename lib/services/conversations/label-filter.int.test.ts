import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { connectTestDatabase } from "@/db/testing/database";
import { createAgent, createConversation, createNumber, createUser, ctxAs, newWaId } from "@/db/testing/factories";
import { echo, historyChunk, textMessage } from "@/lib/whatsapp/fixtures/build";
import { toMetaJson } from "@/lib/whatsapp/signature";
import { createLabel } from "../labels/save-label";
import { sendMessage } from "../messages/send-message";
import { processWebhookEvents } from "../webhooks/process-webhook-events";
import { receiveWebhook } from "../webhooks/receive-webhook";
import { type ConversationItem, listConversationsForUser } from "./list-conversations";
import { updateConversation } from "./update-conversation";

const { db, sql: pg } = connectTestDatabase();
const webhook = { db, sql: pg, actor: { kind: "webhook" } } as const;

async function deliver(body: unknown) {
  const { eventId } = await receiveWebhook({ ctx: webhook, input: { raw: Buffer.from(toMetaJson(body)) } });
  if (eventId !== null) expect((await processWebhookEvents({ ctx: webhook, input: { eventIds: [eventId] } })).failed).toEqual([]);
}

describe("the list filtered by a label", () => {
  it("is the list restricted to the labelled conversations after messages, status changes and label changes", async () => {
    const number = await createNumber(db);
    const agent = ctxAs(db, await createAgent(db, [number.id]));
    const admin = ctxAs(db, await createUser(db, { role: "admin" }));
    const label = await createLabel({ ctx: admin, input: { name: `VIP ${randomUUID()}`, color: "violet" } });
    const other = await createLabel({ ctx: admin, input: { name: `Other ${randomUUID()}`, color: "red" } });
    let clock = Math.floor(Date.now() / 1000) - 1800;
    const tick = () => (clock += 10);
    const wamid = () => `wamid.label-${randomUUID()}`;

    // Five customers write, oldest first; a sixth conversation only has history from before onboarding.
    const customers = Array.from({ length: 5 }, () => newWaId());
    for (const from of customers) await deliver(textMessage(number, { from, wamid: wamid(), text: "Hello", timestamp: tick() }));
    const importedWaId = newWaId();
    const imported = await createConversation(
      db,
      { numberId: number.id, lastMessageAt: new Date(number.onboardedAt.getTime() - 7200_000) },
      { waId: importedWaId },
    );
    const all = async (input: { status?: "open" | "resolved"; labelId?: string; limit?: number }) => {
      const pages: ConversationItem[] = [];
      let cursor: { lastMessageAt: Date; id: string } | undefined;
      do {
        const page = await listConversationsForUser({
          ctx: agent,
          input: {
            numberId: number.id,
            view: "all",
            limit: input.limit ?? 50,
            status: input.status,
            labelId: input.labelId,
            cursor,
          },
        });
        pages.push(...page.conversations);
        const [at, id] = page.nextCursor?.split("|") ?? [];
        cursor = at && id ? { lastMessageAt: new Date(at), id } : undefined;
      } while (cursor);
      return pages;
    };
    const idOf = async (waId: string) => (await all({})).find((c) => c.contact.waId === waId)!.id;
    const ids = await Promise.all(customers.map(idOf));
    const setLabels = (conversationId: string, labelIds: string[]) =>
      updateConversation({ ctx: agent, input: { conversationId, labelIds } });

    async function expectLabelListsExact() {
      for (const status of [undefined, "open", "resolved"] as const) {
        for (const labelId of [label.id, other.id]) {
          const expected = (await all({ status })).filter((c) => c.labelIds.includes(labelId)).map((c) => c.id);
          expect((await all({ status, labelId })).map((c) => c.id)).toEqual(expected);
          // Page by page too: the cursor walks the label's own order.
          expect((await all({ status, labelId, limit: 1 })).map((c) => c.id)).toEqual(expected);
        }
      }
      const stale = await db.execute(sql`select cl.conversation_id from conversation_labels cl
        join conversations c on c.id = cl.conversation_id
        where c.number_id = ${number.id}
          and (cl.number_id <> c.number_id or cl.last_message_at is distinct from c.last_message_at)`);
      expect(stale).toEqual([]);
    }

    await setLabels(ids[0]!, [label.id]);
    await setLabels(ids[2]!, [label.id, other.id]);
    await setLabels(ids[3]!, [label.id]);
    await setLabels(imported.id, [label.id]);
    await expectLabelListsExact();
    expect((await all({ labelId: label.id })).map((c) => c.id)).toEqual([ids[3], ids[2], ids[0], imported.id]);

    // Messages arrive: a customer's text, an echo from the phone, an agent's reply.
    await deliver(textMessage(number, { from: customers[0]!, wamid: wamid(), text: "Any news?", timestamp: tick() }));
    await expectLabelListsExact();
    await deliver(echo(number, { to: customers[2]!, wamid: wamid(), timestamp: tick() }));
    await expectLabelListsExact();
    await sendMessage({ ctx: agent, input: { conversationId: ids[3]!, clientKey: randomUUID(), text: "On its way" } });
    await expectLabelListsExact();
    expect((await all({ labelId: label.id })).map((c) => c.id)).toEqual([ids[3], ids[2], ids[0], imported.id]);

    // History newer than the conversation's last message moves it.
    const historyAt = Math.floor(number.onboardedAt.getTime() / 1000) - 60;
    await deliver(
      historyChunk(number, {
        phase: 0,
        chunkOrder: 1,
        progress: 100,
        threads: [{ id: importedWaId, messages: [{ from: importedWaId, wamid: wamid(), timestamp: historyAt, text: "Old" }] }],
      }),
    );
    await expectLabelListsExact();
    expect((await all({})).find((c) => c.id === imported.id)!.lastMessageAt!.getTime()).toBe(historyAt * 1000);

    // Status changes, and a resolved conversation reopened by its customer.
    await updateConversation({ ctx: agent, input: { conversationId: ids[2]!, status: "resolved" } });
    await updateConversation({ ctx: agent, input: { conversationId: ids[0]!, status: "resolved" } });
    await expectLabelListsExact();
    await deliver(textMessage(number, { from: customers[2]!, wamid: wamid(), text: "Back again", timestamp: tick() }));
    await expectLabelListsExact();
    expect((await all({ status: "open", labelId: label.id })).map((c) => c.id)).toEqual([ids[3], ids[2], imported.id]);

    // Labels added and taken off; an older conversation labelled takes its place in the order.
    await setLabels(ids[2]!, [other.id]);
    await setLabels(ids[1]!, [label.id]);
    await setLabels(ids[3]!, []);
    await expectLabelListsExact();
    expect((await all({ labelId: label.id })).map((c) => c.id)).toEqual([ids[0], ids[1], imported.id]);
    await deliver(textMessage(number, { from: customers[1]!, wamid: wamid(), text: "Hello?", timestamp: tick() }));
    await expectLabelListsExact();
    expect((await all({ labelId: label.id })).map((c) => c.id)).toEqual([ids[1], ids[0], imported.id]);
  });
  it("stays exact when a label is added while a message for the conversation is being stored", async () => {
    const number = await createNumber(db);
    const admin = ctxAs(db, await createUser(db, { role: "admin" }));
    const label = await createLabel({ ctx: admin, input: { name: `Race ${randomUUID()}`, color: "blue" } });
    const conversation = await createConversation(db, { numberId: number.id, lastMessageAt: new Date(Date.now() - 60_000) });
    const newer = new Date();
    let labelled: Promise<unknown> | undefined;
    await pg.begin(async (tx) => {
      await tx`update conversations set last_message_at = ${newer.toISOString()}::timestamptz where id = ${conversation.id}`;
      // Another connection labels the conversation before this transaction commits.
      labelled = pg`insert into conversation_labels (conversation_id, label_id, number_id)
        values (${conversation.id}, ${label.id}, ${number.id})`.execute();
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    await labelled;
    const [row] = await pg<{ at: string }[]>`select last_message_at::text as at from conversation_labels
      where conversation_id = ${conversation.id}`;
    expect(new Date(row!.at).getTime()).toBe(newer.getTime());
  });
});
