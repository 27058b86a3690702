import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { connectTestDatabase } from "@/db/testing/database";
import { rowsReadBy } from "@/db/testing/explain";
import { createNumber } from "@/db/testing/factories";
import { listConversations } from "./conversations";

const { db, sql } = connectTestDatabase();

/** `count` open conversations on the number, one a minute back from now, each with its contact. */
async function manyConversations(numberId: string, count: number) {
  await sql`insert into contacts (number_id, wa_id) select ${numberId}, '1777' || lpad(g::text, 7, '0') from generate_series(1, ${count}) g`;
  return sql<{ id: string }[]>`insert into conversations (number_id, contact_id, last_message_at)
    select number_id, id, now() - row_number() over (order by wa_id) * interval '1 minute' from contacts where number_id = ${numberId}
    returning id`;
}

describe("the list filtered by a label", () => {
  it("reads about one page of rows, however few of the number's conversations carry the label", async () => {
    const number = await createNumber(db);
    const elsewhere = await createNumber(db);
    const [label] = await sql<
      { id: string }[]
    >`insert into labels (name, color) values (${`Rare ${randomUUID()}`}, 'red') returning id`;
    // 2% of the number's 20,000 conversations carry the label, and all 2,000 of another number's: at
    // this size PostgreSQL plans as for a real inbox (smaller, reading every conversation is cheaper).
    const mine = await manyConversations(number.id, 20_000);
    const theirs = await manyConversations(elsewhere.id, 2000);
    const labelled = [...mine.filter((_, i) => i % 50 === 0), ...theirs].map((c) => c.id);
    await sql`insert into conversation_labels (conversation_id, label_id, number_id)
      select c.id, ${label!.id}, c.number_id from conversations c where c.id = any(${labelled}::uuid[])`;
    await sql`analyze conversations`;
    await sql`analyze conversation_labels`;

    let page: Awaited<ReturnType<typeof listConversations>> = [];
    const [rowsRead] = await rowsReadBy(sql, async (counted) => {
      page = await listConversations(counted, {
        numberIds: [number.id],
        view: "all",
        userId: randomUUID(),
        status: "open",
        labelId: label!.id,
        limit: 41,
      });
    });
    expect(page.map((c) => c.id)).toEqual(
      mine
        .filter((_, i) => i % 50 === 0)
        .slice(0, 41)
        .map((c) => c.id),
    );
    // Each of the page's 41 rows is read a few times (label, conversation, contact, its labels);
    // walking the list instead reads 50 rows for each labelled one, the label's index all 2,400.
    expect(rowsRead).toBeLessThan(400);
  });
});
