import { describe, expect, it } from "vitest";
import { numberAccess } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createNumber, createUser, newWaId } from "@/db/testing/factories";
import { change, echo, inboundMessage, textMessage } from "@/lib/whatsapp/fixtures/build";
import { toMetaJson } from "@/lib/whatsapp/signature";
import type { Ctx, UserActor } from "../context";
import { listConversationsForUser } from "../conversations/list-conversations";
import { processWebhookEvents } from "../webhooks/process-webhook-events";
import { receiveWebhook } from "../webhooks/receive-webhook";
import { listThreadMessages } from "./list-thread-messages";

const { db, sql } = connectTestDatabase();
const webhookCtx = { db, sql, actor: { kind: "webhook" } } as const;
type Num = Awaited<ReturnType<typeof createNumber>>;

async function deliver(body: unknown) {
  const { eventId } = await receiveWebhook({ ctx: webhookCtx, input: { raw: Buffer.from(toMetaJson(body)) } });
  if (eventId !== null) await processWebhookEvents({ ctx: webhookCtx, input: { eventIds: [eventId] } });
}

async function actorOn(number: Num, role: "admin" | "agent"): Promise<Ctx & { actor: UserActor }> {
  const user = await createUser(db, { role, name: role === "admin" ? "Ada Admin" : "Aaron Agent" });
  if (role === "agent") await db.insert(numberAccess).values({ userId: user.id, numberId: number.id });
  return { db, actor: { kind: "user", userId: user.id, role, name: user.name } };
}

/** Everything an agent's browser receives about the number: the list, a search, the thread. */
async function whatAnAgentSees(ctx: Ctx & { actor: UserActor }, number: Num, search: string) {
  const list = await listConversationsForUser({ ctx, input: { numberId: number.id, view: "all", limit: 50 } });
  const found = await listConversationsForUser({ ctx, input: { numberId: number.id, view: "all", search, limit: 50 } });
  const threads = await Promise.all(
    list.conversations.map((c) => listThreadMessages({ ctx, input: { conversationId: c.id, limit: 50 } })),
  );
  return { list, found, threads, json: JSON.stringify({ list, threads }) };
}

const CARD = "4111 1111 1111 1111";
const now = () => Math.floor(Date.now() / 1000);

describe("a deleted message's text leaves previews, search and the thread", () => {
  it("a customer deletes a card number: agents no longer see or find it, admins keep the original", async () => {
    const number = await createNumber(db);
    const customer = newWaId();
    const t = now() - 60;
    await deliver(textMessage(number, { from: customer, wamid: "wamid.card", text: `My card is ${CARD}`, timestamp: t }));
    const agent = await actorOn(number, "agent");
    const before = await whatAnAgentSees(agent, number, "4111");
    expect(before.json).toContain(CARD);
    expect(before.found.conversations).toHaveLength(1);

    await deliver(
      change(number, { side: "customer", customer, wamid: "wamid.card-revoke", original: "wamid.card", timestamp: t + 5 }),
    );

    const seen = await whatAnAgentSees(agent, number, "4111");
    expect(seen.json).not.toContain("4111");
    expect(seen.list.conversations[0]!.lastMessagePreview).toBe("This message was deleted");
    expect(seen.found.conversations).toHaveLength(0);
    const [deleted] = seen.threads[0]!.messages;
    expect(deleted).toMatchObject({ body: null, content: null, editedBody: null, editHistory: null });
    expect(deleted!.deletedAt).not.toBeNull();

    const admin = await actorOn(number, "admin");
    const adminThread = await listThreadMessages({
      ctx: admin,
      input: { conversationId: seen.list.conversations[0]!.id, limit: 50 },
    });
    expect(adminThread.messages[0]!.body).toBe(`My card is ${CARD}`);
    // Search is the same for admins: deleted text is never found.
    const adminSearch = await listConversationsForUser({
      ctx: admin,
      input: { numberId: number.id, view: "all", search: "4111", limit: 50 },
    });
    expect(adminSearch.conversations).toHaveLength(0);
  });

  it("a revoke that arrives before its message, and an edited message deleted on the phone, stay hidden", async () => {
    const number = await createNumber(db);
    const customer = newWaId();
    const t = now() - 60;
    await deliver(
      change(number, { side: "customer", customer, wamid: "wamid.early-revoke", original: "wamid.early", timestamp: t + 5 }),
    );
    await deliver(textMessage(number, { from: customer, wamid: "wamid.early", text: `Card ${CARD}`, timestamp: t }));

    const other = newWaId();
    await deliver(echo(number, { to: other, wamid: "wamid.phone", timestamp: t, content: { body: "Code 4111-secret" } }));
    await deliver(
      change(number, {
        side: "phone",
        customer: other,
        wamid: "wamid.phone-edit",
        original: "wamid.phone",
        edit: "Code 4111-again",
        timestamp: t + 2,
      }),
    );
    await deliver(
      change(number, { side: "phone", customer: other, wamid: "wamid.phone-revoke", original: "wamid.phone", timestamp: t + 4 }),
    );

    const seen = await whatAnAgentSees(await actorOn(number, "agent"), number, "4111");
    expect(seen.list.conversations).toHaveLength(2);
    expect(seen.list.conversations.map((c) => c.lastMessagePreview)).toEqual([
      "This message was deleted",
      "This message was deleted",
    ]);
    expect(seen.found.conversations).toHaveLength(0);
    expect(seen.json).not.toContain("4111");
  });

  it("a reply quoting a deleted message does not reveal the quoted text", async () => {
    const number = await createNumber(db);
    const customer = newWaId();
    const t = now() - 60;
    await deliver(textMessage(number, { from: customer, wamid: "wamid.q1", text: `Card ${CARD}`, timestamp: t }));
    await deliver(
      change(number, { side: "customer", customer, wamid: "wamid.q1-revoke", original: "wamid.q1", timestamp: t + 2 }),
    );
    await deliver(
      inboundMessage(number, {
        from: customer,
        wamid: "wamid.q2",
        type: "text",
        content: { body: "Sorry, wrong chat" },
        timestamp: t + 3,
        replyTo: "wamid.q1",
      }),
    );
    const seen = await whatAnAgentSees(await actorOn(number, "agent"), number, "4111");
    expect(seen.list.conversations[0]!.lastMessagePreview).toBe("Sorry, wrong chat");
    expect(seen.json).not.toContain("4111");
  });
});
