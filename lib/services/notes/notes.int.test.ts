import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { findThreadMessage } from "@/db/queries/messages";
import { conversations, numberAccess } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createAgent, createConversation, createNumber, createUser, ctxAs } from "@/db/testing/factories";
import { AppError } from "@/lib/errors";
import { markConversationRead } from "../conversations/mark-read";
import { listNumberMembers } from "../numbers/list-number-members";
import { addNote } from "./add-note";
import { listMentions } from "./list-mentions";

const { db } = connectTestDatabase();
const key = () => crypto.randomUUID();
const rejectsWith = (promise: Promise<unknown>, code: string) =>
  expect(promise).rejects.toSatisfy((e) => e instanceof AppError && e.code === code);

async function sendJobsFor(messageId: string) {
  const rows = await db.execute<{ count: number }>(
    sql`select count(*)::int as count from graphile_worker.jobs where key = ${`send:${messageId}`}`,
  );
  return rows[0]?.count;
}

describe("private notes", () => {
  it("a note is stored with its author, never queued for WhatsApp, and leaves window, unread and preview as they were", async () => {
    const number = await createNumber(db);
    const agent = await createAgent(db, [number.id], { name: "Nora Note" });
    const lastCustomerMessageAt = new Date(Date.now() - 30 * 60 * 60 * 1000);
    const conversation = await createConversation(db, {
      numberId: number.id,
      unreadCount: 2,
      lastMessagePreview: "Where is my parcel?",
      lastMessageDirection: "inbound",
      lastCustomerMessageAt,
    });
    const [before] = await db.select().from(conversations).where(eq(conversations.id, conversation.id));

    const { messageId } = await addNote({
      ctx: ctxAs(db, agent),
      input: { conversationId: conversation.id, clientKey: key(), text: "  Customer called, refund approved  " },
    });

    const note = await findThreadMessage(db, messageId);
    expect(note).toMatchObject({
      origin: "note",
      body: "Customer called, refund approved",
      authorName: "Nora Note",
      wamid: null,
    });
    expect(await sendJobsFor(messageId)).toBe(0);
    const [after] = await db.select().from(conversations).where(eq(conversations.id, conversation.id));
    expect(after).toEqual(before);
  });

  it("a note can be written while the 24-hour window is closed, and a retried click stores it once", async () => {
    const number = await createNumber(db);
    const admin = await createUser(db);
    const conversation = await createConversation(db, { numberId: number.id, lastCustomerMessageAt: null });
    const input = { conversationId: conversation.id, clientKey: key(), text: "Waiting for the customer" };
    const first = await addNote({ ctx: ctxAs(db, admin), input });
    const again = await addNote({ ctx: ctxAs(db, admin), input });
    expect(again).toMatchObject({ messageId: first.messageId, duplicate: true });
  });

  it("an agent cannot write a note in a number they are not on, nor an empty one", async () => {
    const [mine, theirs] = [await createNumber(db), await createNumber(db)];
    const agent = await createAgent(db, [mine.id]);
    const elsewhere = await createConversation(db, { numberId: theirs.id });
    await rejectsWith(
      addNote({ ctx: ctxAs(db, agent), input: { conversationId: elsewhere.id, clientKey: key(), text: "hi" } }),
      "NOT_FOUND",
    );
    const here = await createConversation(db, { numberId: mine.id });
    await rejectsWith(
      addNote({ ctx: ctxAs(db, agent), input: { conversationId: here.id, clientKey: key(), text: "   " } }),
      "VALIDATION",
    );
  });
});

describe("mentions in notes", () => {
  it("names members of the number only: they get an unread mention until they open the conversation", async () => {
    const [number, other] = [await createNumber(db), await createNumber(db)];
    const writer = await createAgent(db, [number.id], { name: `Writer ${key()}` });
    const colleague = await createAgent(db, [number.id], { name: `Mia ${key().slice(0, 6)}` });
    const stranger = await createAgent(db, [other.id], { name: `Stan ${key().slice(0, 6)}` });
    const conversation = await createConversation(db, { numberId: number.id });

    const { messageId, mentionedIds } = await addNote({
      ctx: ctxAs(db, writer),
      input: {
        conversationId: conversation.id,
        clientKey: key(),
        text: `@${colleague.name} can you call back? @${stranger.name} @${writer.name}`,
      },
    });
    expect(mentionedIds).toEqual([colleague.id]);
    expect(await listMentions({ ctx: ctxAs(db, colleague) })).toEqual([
      expect.objectContaining({
        messageId,
        conversationId: conversation.id,
        authorName: writer.name,
        contactName: "Test Customer",
      }),
    ]);
    expect(await listMentions({ ctx: ctxAs(db, stranger) })).toEqual([]);
    expect(await listMentions({ ctx: ctxAs(db, writer) })).toEqual([]);

    await markConversationRead({ ctx: ctxAs(db, colleague), input: { conversationId: conversation.id } });
    expect(await listMentions({ ctx: ctxAs(db, colleague) })).toEqual([]);
  });

  it("a mention on a number the member was taken off is no longer listed", async () => {
    const number = await createNumber(db);
    const admin = await createUser(db, { name: `Admin ${key().slice(0, 6)}` });
    const agent = await createAgent(db, [number.id], { name: `Leo ${key().slice(0, 6)}` });
    const conversation = await createConversation(db, { numberId: number.id });
    await addNote({
      ctx: ctxAs(db, admin),
      input: { conversationId: conversation.id, clientKey: key(), text: `@${agent.name} look` },
    });
    expect(await listMentions({ ctx: ctxAs(db, agent) })).toHaveLength(1);
    await db.delete(numberAccess).where(eq(numberAccess.userId, agent.id));
    expect(await listMentions({ ctx: ctxAs(db, agent) })).toEqual([]);
  });

  it("the members a note can mention are the number's agents and the admins, never another number's", async () => {
    const [number, other] = [await createNumber(db), await createNumber(db)];
    const agent = await createAgent(db, [number.id]);
    const stranger = await createAgent(db, [other.id]);
    const admin = await createUser(db);
    const ids = (await listNumberMembers({ ctx: ctxAs(db, agent), input: { numberId: number.id } })).map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining([agent.id, admin.id]));
    expect(ids).not.toContain(stranger.id);
    await rejectsWith(listNumberMembers({ ctx: ctxAs(db, stranger), input: { numberId: number.id } }), "NOT_FOUND");
  });
});
