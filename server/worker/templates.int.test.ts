import { and, desc, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { contacts, conversations, messages, templates } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { newClientKey } from "@/lib/client/client-key";
import { listContactsForUser } from "@/lib/services/contacts/list-contacts";
import { listConversationsForUser } from "@/lib/services/conversations/list-conversations";
import { startConversation } from "@/lib/services/conversations/start-conversation";
import { deliverMessage } from "@/lib/services/messages/deliver-message";
import { sendMessage } from "@/lib/services/messages/send-message";
import { listSendableTemplates } from "@/lib/services/templates/list-templates";
import { sendTemplate } from "@/lib/services/templates/send-template";
import { processWebhookEvents } from "@/lib/services/webhooks/process-webhook-events";
import { receiveWebhook } from "@/lib/services/webhooks/receive-webhook";
import { toMetaJson } from "@/lib/whatsapp/signature";
import { startSendHarness } from "./send-harness";

/** Templates over real HTTP: listed from the sandbox WABA page by page, sent behind a closed window. */
const handle = connectTestDatabase();
const { db } = handle;
const harnesses: Awaited<ReturnType<typeof startSendHarness>>[] = [];
afterAll(async () => {
  for (const h of harnesses) await h.close();
});

async function closedConversation() {
  const h = await startSendHarness(handle);
  harnesses.push(h);
  const { conversation, waId } = await h.customerWrites("Hi, I wrote before you connected");
  // As after a history import: the customer's last message predates the connection, no window.
  await db.update(conversations).set({ lastCustomerMessageAt: null }).where(eq(conversations.id, conversation.id));
  const agent = { ...h.agentCtx, secret: h.sendCtx.secret };
  const list = await listSendableTemplates({ ctx: agent, input: { numberId: h.number.id, graph: h.graph } });
  return { h, conversation, waId, list };
}

describe("templates", () => {
  it("the list filters conversations whose window is closed or closes within two hours", async () => {
    const { h, conversation } = await closedConversation();
    const { conversation: closing } = await h.customerWrites("Still there?");
    await db
      .update(conversations)
      .set({ lastCustomerMessageAt: new Date(Date.now() - 23 * 3600_000) })
      .where(eq(conversations.id, closing.id));
    const ids = async (window: "closing" | "closed") =>
      (
        await listConversationsForUser({ ctx: h.agentCtx, input: { numberId: h.number.id, view: "all", window, limit: 50 } })
      ).conversations.map((c) => c.id);
    expect(await ids("closed")).toEqual([conversation.id]);
    expect(await ids("closing")).toEqual([closing.id]);
  });

  it("lists every page from the WABA and offers only approved, non-authentication templates", async () => {
    const { h, list } = await closedConversation();
    expect(list.map((t) => t.name).sort()).toEqual(["appointment_reminder", "follow_up", "new_collection", "order_update"]);
    const stored = await db.select().from(templates).where(eq(templates.wabaId, h.number.wabaId));
    expect(stored.map((t) => t.status).sort()).toEqual([
      "APPROVED",
      "APPROVED",
      "APPROVED",
      "APPROVED",
      "APPROVED",
      "PENDING",
      "REJECTED",
    ]);
    // Paging: two per page still lists all seven.
    expect(await h.graph.listTemplates({ wabaId: h.number.wabaId, token: h.accessToken, pageSize: 2 })).toHaveLength(7);
  });

  it("free text is refused behind the closed window, and a template with variables reaches the phone filled in", async () => {
    const { h, conversation, waId, list } = await closedConversation();
    await expect(
      sendMessage({ ctx: h.agentCtx, input: { conversationId: conversation.id, clientKey: newClientKey(), text: "Hello?" } }),
    ).rejects.toMatchObject({ code: "WINDOW_CLOSED" });
    const orderUpdate = list.find((t) => t.name === "order_update")!;
    await expect(
      sendTemplate({
        ctx: h.agentCtx,
        input: {
          conversationId: conversation.id,
          clientKey: newClientKey(),
          templateId: orderUpdate.id,
          values: { "body:1": "Ada" },
        },
      }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    const { messageId } = await sendTemplate({
      ctx: h.agentCtx,
      input: {
        conversationId: conversation.id,
        clientKey: newClientKey(),
        templateId: orderUpdate.id,
        values: { "body:1": "Ada", "body:2": "#1234", "body:3": "3" },
      },
    });
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId, graph: h.graph } })).status).toBe("accepted");
    const [row] = await db.select().from(messages).where(eq(messages.id, messageId));
    expect(row).toMatchObject({ origin: "template", type: "template" });
    expect(row!.body).toContain("Hi Ada, your order #1234 has shipped and should arrive within 3 days.");
    const thread = (await (await fetch(`${h.sandboxUrl}/phone/api/thread?waId=${waId}`)).json()) as {
      messages: { type: string; text: string }[];
    };
    expect(thread.messages.at(-1)).toMatchObject({ type: "template" });
    expect(thread.messages.at(-1)!.text).toContain("Hi Ada, your order #1234 has shipped");
  });

  it("quick-reply buttons carry their payloads, and the customer's tap shows its title and keeps the payload", async () => {
    const { h, conversation, waId, list } = await closedConversation();
    const collection = list.find((t) => t.name === "new_collection")!;
    const { messageId } = await sendTemplate({
      ctx: h.agentCtx,
      input: {
        conversationId: conversation.id,
        clientKey: newClientKey(),
        templateId: collection.id,
        values: { "header:media": "https://example.com/summer.jpg", "body:1": "summer" },
      },
    });
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId, graph: h.graph } })).status).toBe("accepted");
    const [sent] = await db.select().from(messages).where(eq(messages.id, messageId));
    // What reached the phone carries a payload for each quick reply.
    const thread = (await (await fetch(`${h.sandboxUrl}/phone/api/thread?waId=${waId}`)).json()) as {
      messages: { wamid: string; template: { components: unknown[] } | null; quickReplies: unknown[] }[];
    };
    const received = thread.messages.find((m) => m.wamid === sent!.wamid)!;
    // The phone offers the buttons to tap.
    expect(received.quickReplies).toEqual([
      { index: 0, text: "Show me" },
      { index: 1, text: "Not now" },
    ]);
    expect(received.template!.components).toEqual(
      expect.arrayContaining([
        { type: "button", sub_type: "quick_reply", index: "0", parameters: [{ type: "payload", payload: "Show me" }] },
        { type: "button", sub_type: "quick_reply", index: "1", parameters: [{ type: "payload", payload: "Not now" }] },
      ]),
    );
    const tap = await fetch(`${h.sandboxUrl}/phone/api/messages/button`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ waId, wamid: sent!.wamid, index: 1 }),
    });
    expect(await tap.json()).toMatchObject({ payload: "Not now", delivered: true });
    const [reply] = await db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversation.id), eq(messages.direction, "inbound")))
      .orderBy(desc(messages.createdAt))
      .limit(1);
    expect(reply).toMatchObject({ type: "button", body: "Not now", replyToWamid: sent!.wamid, direction: "inbound" });
    expect(reply!.content).toEqual({ button: { payload: "Not now", text: "Not now" } });
    const [after] = await db.select().from(conversations).where(eq(conversations.id, conversation.id));
    expect(after!.lastMessagePreview).toBe("Not now");
  });

  it("named parameters are sent by name and accepted", async () => {
    const { h, conversation, list } = await closedConversation();
    const reminder = list.find((t) => t.name === "appointment_reminder")!;
    const { messageId } = await sendTemplate({
      ctx: h.agentCtx,
      input: {
        conversationId: conversation.id,
        clientKey: newClientKey(),
        templateId: reminder.id,
        values: { "body:first_name": "Ada", "body:date": "Friday 10:00" },
      },
    });
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId, graph: h.graph } })).status).toBe("accepted");
  });

  it("a template status webhook moves the stored status, and a paused template is no longer offered", async () => {
    const { h, list } = await closedConversation();
    const followUp = list.find((t) => t.name === "follow_up")!;
    const [stored] = await db.select().from(templates).where(eq(templates.id, followUp.id));
    const body = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: h.number.wabaId,
          time: Math.floor(Date.now() / 1000),
          changes: [
            {
              field: "message_template_status_update",
              value: {
                event: "PAUSED",
                message_template_id: Number(stored!.metaId),
                message_template_name: "follow_up",
                message_template_language: "en_US",
                reason: "LOW_QUALITY",
              },
            },
          ],
        },
      ],
    };
    const ctx = { db, sql: handle.sql, actor: { kind: "system", name: "test" } } as const;
    const { eventId } = await receiveWebhook({ ctx, input: { raw: Buffer.from(toMetaJson(body)) } });
    await processWebhookEvents({ ctx, input: { eventIds: [eventId!] } });
    const after = await listSendableTemplates({
      ctx: { ...h.agentCtx, secret: h.sendCtx.secret },
      input: { numberId: h.number.id, graph: h.graph },
    });
    expect(after.map((t) => t.name)).not.toContain("follow_up");
  });

  it("an agent starts a conversation with a contact known only from the address book, with a template", async () => {
    const h = await startSendHarness(handle);
    harnesses.push(h);
    const waId = `1415${Date.now().toString().slice(-7)}`;
    const [contact] = await db
      .insert(contacts)
      .values({ numberId: h.number.id, waId, addressBookName: "Grace Hopper", addressBookUpdatedAt: new Date() })
      .returning();
    const found = await listContactsForUser({ ctx: h.agentCtx, input: { search: "grace", limit: 10 } });
    expect(found.find((c) => c.id === contact!.id)).toMatchObject({ displayName: "Grace Hopper", conversationId: null });
    const { conversationId, created } = await startConversation({ ctx: h.agentCtx, input: { contactId: contact!.id } });
    expect(created).toBe(true);
    expect((await startConversation({ ctx: h.agentCtx, input: { contactId: contact!.id } })).conversationId).toBe(conversationId);
    await expect(
      sendMessage({ ctx: h.agentCtx, input: { conversationId, clientKey: newClientKey(), text: "Hello Grace" } }),
    ).rejects.toMatchObject({ code: "WINDOW_CLOSED" });
    const list = await listSendableTemplates({
      ctx: { ...h.agentCtx, secret: h.sendCtx.secret },
      input: { numberId: h.number.id, graph: h.graph },
    });
    const { messageId } = await sendTemplate({
      ctx: h.agentCtx,
      input: {
        conversationId,
        clientKey: newClientKey(),
        templateId: list.find((t) => t.name === "follow_up")!.id,
        values: { "body:1": "Grace" },
      },
    });
    expect((await deliverMessage({ ctx: h.sendCtx, input: { messageId, graph: h.graph } })).status).toBe("accepted");
    const thread = (await (await fetch(`${h.sandboxUrl}/phone/api/thread?waId=${waId}`)).json()) as {
      messages: { text: string }[];
    };
    expect(thread.messages.at(-1)?.text).toContain("Hi Grace, we have an answer");
  });
});
