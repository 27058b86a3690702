import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { conversations } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createAgent, createConversation, createNumber, createUser, ctxAs } from "@/db/testing/factories";
import { updateNumberSettings } from "../numbers/update-number-settings";
import { sendMessage } from "./send-message";

const { db } = connectTestDatabase();
const openWindow = () => ({ lastCustomerMessageAt: new Date(Date.now() - 60_000) });
const reply = (agent: Parameters<typeof ctxAs>[1], conversationId: string) =>
  sendMessage({ ctx: ctxAs(db, agent), input: { conversationId, clientKey: crypto.randomUUID(), text: "On it" } });
const assigneeOf = async (id: string) =>
  (await db.select({ assigneeId: conversations.assigneeId }).from(conversations).where(eq(conversations.id, id)))[0]?.assigneeId;

describe("auto-assign on first reply", () => {
  it("when the number has it on, the first agent to reply to an unassigned conversation takes it; a later reply changes nothing", async () => {
    const number = await createNumber(db);
    await updateNumberSettings({ ctx: ctxAs(db, await createUser(db)), input: { numberId: number.id, autoAssignOnReply: true } });
    const [first, second] = [await createAgent(db, [number.id]), await createAgent(db, [number.id])];
    const conversation = await createConversation(db, { numberId: number.id, ...openWindow() });

    await reply(first, conversation.id);
    expect(await assigneeOf(conversation.id)).toBe(first.id);
    await reply(second, conversation.id);
    expect(await assigneeOf(conversation.id)).toBe(first.id);
  });

  it("is off by default: a reply leaves the conversation unassigned", async () => {
    const number = await createNumber(db);
    const agent = await createAgent(db, [number.id]);
    const conversation = await createConversation(db, { numberId: number.id, ...openWindow() });
    await reply(agent, conversation.id);
    expect(await assigneeOf(conversation.id)).toBeNull();
  });
});
