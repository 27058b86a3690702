import { randomUUID } from "node:crypto";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { connectTestDatabase } from "@/db/testing/database";
import { createAgent, createConversation, createNumber, createUser, ctxAs, insertCustomerTexts } from "@/db/testing/factories";
import { listThreadMessages } from "../messages/list-thread-messages";
import { listConversationsForUser } from "./list-conversations";

const { db } = connectTestDatabase();

// A second pool that counts the statements it sends: each is a round trip on every inbox read.
let statements = 0;
// One connection, opened before counting: a new one first reads the server's types.
const counted = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {}, debug: () => statements++ });
afterAll(() => counted.end({ timeout: 5 }));
const countedDb = drizzle(counted);

async function conversationWithMessages(numberId: string, texts: string[]) {
  const conversation = await createConversation(db, { numberId });
  await insertCustomerTexts(
    db,
    { ...conversation, numberId },
    texts.map((body) => ({ body })),
  );
  return conversation;
}

const list = (
  ctx: ReturnType<typeof ctxAs>,
  input: { numberId?: string; search?: string; cursor?: { lastMessageAt: Date; id: string } },
) => listConversationsForUser({ ctx, input: { view: "all", limit: 20, ...input } });

describe("inbox reads", () => {
  it("an agent's list page of one number and a thread page each take one statement; a warm search two", async () => {
    const number = await createNumber(db);
    const agent = await createAgent(db, [number.id]);
    const conversation = await conversationWithMessages(number.id, ["Where is my parcel?", "Any news?"]);
    const ctx = ctxAs(countedDb, agent);
    await counted`select 1`;

    statements = 0;
    const page = await list(ctx, { numberId: number.id });
    expect(page.conversations.map((c) => c.id)).toEqual([conversation.id]);
    expect(statements).toBe(1);

    statements = 0;
    const thread = await listThreadMessages({ ctx, input: { conversationId: conversation.id, limit: 50 } });
    expect(thread.messages.map((m) => m.body)).toEqual(["Any news?", "Where is my parcel?"]);
    expect(statements).toBe(1);

    // The word statistics are read at most once a minute: a warm search is the list and the matches.
    await list(ctx, { numberId: number.id, search: "parcel" });
    statements = 0;
    const found = await list(ctx, { numberId: number.id, search: "parcel" });
    expect(found.conversations.map((c) => c.match?.snippet)).toEqual([expect.stringContaining("parcel")]);
    expect(statements).toBeLessThanOrEqual(2);
  });

  it("a number or a thread the agent is not on is not found, even when it has conversations and messages", async () => {
    const mine = await createNumber(db);
    const theirs = await createNumber(db);
    const agent = await createAgent(db, [mine.id]);
    const other = await conversationWithMessages(theirs.id, ["A secret order"]);
    const ctx = ctxAs(db, agent);

    await expect(list(ctx, { numberId: theirs.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(list(ctx, { numberId: theirs.id, search: "secret" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(listThreadMessages({ ctx, input: { conversationId: other.id, limit: 50 } })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await list(ctx, { search: "secret" })).conversations).toEqual([]);
  });

  it("an empty page of a visible number or thread is an empty answer; an unknown number or thread is not found", async () => {
    const number = await createNumber(db);
    const agent = await createAgent(db, [number.id]);
    const admin = await createUser(db, { role: "admin" });
    const empty = await createConversation(db, { numberId: number.id });
    const ctx = ctxAs(db, agent);

    const past = { lastMessageAt: new Date(0), id: randomUUID() };
    expect(await list(ctx, { numberId: number.id, cursor: past })).toEqual({ conversations: [], nextCursor: null });
    expect(await listThreadMessages({ ctx, input: { conversationId: empty.id, limit: 50 } })).toEqual({
      messages: [],
      nextCursor: null,
    });
    await expect(list(ctxAs(db, admin), { numberId: randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      listThreadMessages({ ctx: ctxAs(db, admin), input: { conversationId: randomUUID(), limit: 50 } }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
