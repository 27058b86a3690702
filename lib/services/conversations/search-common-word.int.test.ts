import { randomBytes } from "node:crypto";
import { sql as dsql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { estimateTextMatchShare, parseSearch } from "@/db/queries/search";
import { connectTestDatabase } from "@/db/testing/database";
import { nodesOf, plansOf } from "@/db/testing/explain";
import { createAgent, createConversation, createNumber, ctxAs, insertCustomerTexts } from "@/db/testing/factories";
import { HIGHLIGHT_END, HIGHLIGHT_START } from "@/lib/client/search";
import { COMMON_WORD_SHARE, listConversationsForUser } from "./list-conversations";

const { db, sql } = connectTestDatabase();

// A second pool that counts the statements it sends (one connection, opened before counting).
let statements = 0;
const counted = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {}, debug: () => statements++ });
afterAll(() => counted.end({ timeout: 5 }));

const word = `common${Array.from(randomBytes(6), (b) => String.fromCharCode(97 + (b % 26))).join("")}`;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

async function conversationWith(
  numberId: string,
  at: number,
  texts: { body: string; editedBody?: string; deleted?: boolean }[],
  name = "Customer",
) {
  const conversation = await createConversation(db, { numberId, lastMessageAt: minutesAgo(at) }, { profileName: name });
  const messageIds = await insertCustomerTexts(
    db,
    { ...conversation, numberId },
    texts.map(({ deleted, ...text }) => ({ ...text, deletedAt: deleted ? minutesAgo(at) : null })),
    minutesAgo(at),
  );
  return { id: conversation.id, messageIds };
}

describe("searching a common word", () => {
  // The word becomes common: another number's messages carry it, 3% of all messages at least.
  let bulk: { id: string; contactId: string };
  beforeAll(async () => {
    const elsewhere = await createNumber(db);
    const [total] = await sql<{ n: number }[]>`select count(*)::int as n from messages`;
    bulk = await createConversation(db, { numberId: elsewhere.id, lastMessageAt: new Date() });
    await sql`insert into messages (number_id, conversation_id, contact_id, wamid, direction, origin, type, body, status, sent_at)
      select ${elsewhere.id}, ${bulk.id}, ${bulk.contactId}, 'wamid.common-' || ${word} || g, 'inbound', 'customer', 'text',
        'About the ' || ${word} || ' again', 'received', now()
      from generate_series(1, ${Math.max(1000, Math.ceil(total!.n * 0.04))}) g`;
    await sql`analyze messages`;
  });
  afterAll(() => db.execute(dsql`delete from messages where conversation_id = ${bulk.id}`));

  it("walks the newest conversations in one statement: names, current text, newest match marked, pages", async () => {
    const number = await createNumber(db);
    const agent = await createAgent(db, [number.id]);
    expect(await estimateTextMatchShare(db, parseSearch(word))).toBeGreaterThanOrEqual(COMMON_WORD_SHARE);

    // Newest first: the newest of two matching messages is the one marked.
    const twice = await conversationWith(number.id, 1, [
      { body: `First ${word} here` },
      { body: `Second ${word} here` },
      { body: "Nothing to see" },
    ]);
    const byName = await conversationWith(number.id, 2, [{ body: "Hello" }], `${word}son Smith`);
    await conversationWith(number.id, 3, [{ body: `Deleted ${word}`, deleted: true }, { body: "Still here" }]);
    const edited = await conversationWith(number.id, 4, [{ body: "Plain", editedBody: `Now with ${word}` }]);
    await conversationWith(number.id, 5, [{ body: `Was ${word}`, editedBody: "Not any more" }]);
    const plain = [];
    for (let i = 0; i < 4; i++) plain.push(await conversationWith(number.id, 6 + i, [{ body: `The ${word}, number ${i}` }]));
    const expected = [twice, byName, edited, ...plain];

    const ctx = ctxAs(drizzle(counted), agent);
    const search = (cursor?: { lastMessageAt: Date; id: string }) =>
      listConversationsForUser({ ctx, input: { numberId: number.id, view: "all", search: word, limit: 3, cursor } });
    await search();
    await counted`select 1`;

    const seen: Awaited<ReturnType<typeof search>>["conversations"] = [];
    const statementsPerPage: number[] = [];
    let cursor: { lastMessageAt: Date; id: string } | undefined;
    do {
      statements = 0;
      const page = await search(cursor);
      statementsPerPage.push(statements);
      seen.push(...page.conversations);
      const [at, id] = page.nextCursor?.split("|") ?? [];
      cursor = at && id ? { lastMessageAt: new Date(at), id } : undefined;
    } while (cursor);

    expect(seen.map((c) => c.id)).toEqual(expected.map((c) => c.id));
    // Full pages among the newest are one statement each; the last one, not filled, asks the text
    // index, its matches marked in the same statement.
    expect(statementsPerPage).toEqual([1, 1, 2]);
    const matchOf = (id: string) => seen.find((c) => c.id === id)!.match;
    expect(matchOf(twice.id)).toEqual({
      messageId: twice.messageIds[1],
      sentAt: expect.any(Date),
      snippet: `Second ${HIGHLIGHT_START}${word}${HIGHLIGHT_END} here`,
      direction: "inbound",
    });
    expect(matchOf(byName.id)).toBeNull();
    expect(matchOf(edited.id)).toMatchObject({
      messageId: edited.messageIds[0],
      snippet: expect.stringContaining(`${HIGHLIGHT_START}${word}${HIGHLIGHT_END}`),
    });
    expect(matchOf(plain[3]!.id)?.messageId).toBe(plain[3]!.messageIds[0]);
    // The other number's conversation is newer and matches, but is not the agent's.
    expect(seen.map((c) => c.numberId)).toEqual(expected.map(() => number.id));
  });

  it("parses only the walked messages that hold the word, whatever its case", async () => {
    const number = await createNumber(db);
    const agent = await createAgent(db, [number.id]);

    // Twenty newer messages without the word before the one in capitals; then a plain match.
    const capitals = await conversationWith(number.id, 1, [
      { body: `An ${word.toUpperCase()} in capitals` },
      ...Array.from({ length: 20 }, (_, i) => ({ body: `Nothing to see ${i}` })),
    ]);
    await conversationWith(number.id, 2, [{ body: `The ${word} again` }]);

    for (const query of [word, word.toUpperCase()]) {
      let page: Awaited<ReturnType<typeof listConversationsForUser>> | undefined;
      const plans = await plansOf(sql, async (recording) => {
        page = await listConversationsForUser({
          ctx: ctxAs(recording, agent),
          input: { numberId: number.id, view: "all", search: query, limit: 1 },
        });
      });
      expect(page!.conversations.map((c) => c.match?.messageId)).toEqual([capitals.messageIds[0]]);
      // The text check is a subplan run once per message it parses: the matching ones only.
      const parsed = plans
        .flatMap(nodesOf)
        .filter((n) => n["Parent Relationship"] === "SubPlan" && n["Node Type"] === "Result")
        .reduce((sum, n) => sum + n["Actual Loops"], 0);
      expect(parsed).toBe(2);
    }
  });
});
