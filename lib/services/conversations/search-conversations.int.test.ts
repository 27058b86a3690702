import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { messages, numberAccess } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createNumber, createUser, newWaId } from "@/db/testing/factories";
import { HIGHLIGHT_END, HIGHLIGHT_START } from "@/lib/client/search";
import { change, contactSync, textMessage } from "@/lib/whatsapp/fixtures/build";
import { toMetaJson } from "@/lib/whatsapp/signature";
import { renameContact } from "../contacts/rename-contact";
import type { Ctx, UserActor } from "../context";
import { processWebhookEvents } from "../webhooks/process-webhook-events";
import { receiveWebhook } from "../webhooks/receive-webhook";
import { listConversationsForUser } from "./list-conversations";

const { db, sql } = connectTestDatabase();

// A second pool that counts the statements it sends (one connection, opened before counting).
let statements = 0;
const counted = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {}, debug: () => statements++ });
afterAll(() => counted.end({ timeout: 5 }));
const webhookCtx = { db, sql, actor: { kind: "webhook" } } as const;
type Num = Awaited<ReturnType<typeof createNumber>>;

async function deliver(body: unknown) {
  const { eventId } = await receiveWebhook({ ctx: webhookCtx, input: { raw: Buffer.from(toMetaJson(body)) } });
  if (eventId !== null) await processWebhookEvents({ ctx: webhookCtx, input: { eventIds: [eventId] } });
}

async function userOn(numbersGranted: Num[], role: "admin" | "agent" = "agent"): Promise<Ctx & { actor: UserActor }> {
  const user = await createUser(db, { role });
  for (const n of numbersGranted) await db.insert(numberAccess).values({ userId: user.id, numberId: n.id });
  return { db, actor: { kind: "user", userId: user.id, role, name: user.name } };
}

/** A word no other test uses, so each search has exactly the expected hits. */
const word = (prefix: string) => `${prefix}${Array.from(randomBytes(6), (b) => String.fromCharCode(97 + (b % 26))).join("")}`;
const now = () => Math.floor(Date.now() / 1000);

async function search(ctx: Ctx & { actor: UserActor }, q: string, numberId?: string) {
  const page = await listConversationsForUser({ ctx, input: { numberId, view: "all", search: q, limit: 50 } });
  return page.conversations;
}

async function say(number: Num, from: string, text: string, opts: { name?: string; at?: number } = {}) {
  const wamid = `wamid.${randomBytes(12).toString("hex")}`;
  await deliver(textMessage(number, { from, name: opts.name, wamid, text, timestamp: opts.at ?? now() - 30 }));
  return wamid;
}

describe("search", () => {
  it("finds a conversation by each name source, by a name's start and by a number prefix", async () => {
    const number = await createNumber(db);
    const agent = await userOn([number]);
    const profile = word("Zoltan");
    const book = word("Philippa");
    const custom = word("Gertrude");
    const removed = word("Bartholomew");

    const a = newWaId();
    await say(number, a, "Hello", { name: `${profile} Kovacs` });
    const b = newWaId();
    await say(number, b, "Hi there");
    await deliver(contactSync(number, { phone: b, action: "add", fullName: `${book} Jones`, firstName: book, timestamp: now() }));
    const c = newWaId();
    await say(number, c, "Good morning");
    const d = newWaId();
    await say(number, d, "Evening");
    await deliver(contactSync(number, { phone: d, action: "add", fullName: removed, timestamp: now() - 20 }));
    await deliver(contactSync(number, { phone: d, action: "remove", timestamp: now() - 10 }));

    const [cConversation] = (await search(agent, c)).filter((x) => x.contact.waId === c);
    await renameContact({ ctx: agent, input: { contactId: cConversation!.contact.id, name: `${custom} (VIP)` } });

    const waIdsFound = async (q: string) => (await search(agent, q)).map((x) => x.contact.waId);
    expect(await waIdsFound(profile)).toEqual([a]);
    expect(await waIdsFound(profile.slice(0, 9).toUpperCase())).toEqual([a]);
    expect(await waIdsFound(`${book} jones`)).toEqual([b]);
    expect(await waIdsFound(custom)).toEqual([c]);
    // A name the phone's address book no longer has is not shown, so it is not found either.
    expect(await waIdsFound(removed)).toEqual([]);
    // Numbers match from the start, however they are typed.
    expect(await waIdsFound(`+${d.slice(0, 4)} ${d.slice(4, 8)}-${d.slice(8)}`)).toEqual([d]);
    expect(await waIdsFound(d.slice(0, 6))).toContain(d);
    expect(await waIdsFound(d.slice(3))).toEqual([]);
    // A name match shows the conversation's preview, not a message.
    expect((await search(agent, custom))[0]!.match).toBeNull();
  });

  it("finds the current text of messages, phrases, and marks the matching message; never deleted text", async () => {
    const number = await createNumber(db);
    const agent = await userOn([number]);
    const city = word("Rotterdam");
    const edited = word("crimson");
    const secret = word("secret");
    const customer = newWaId();
    const t = now() - 120;
    const parcel = await say(number, customer, `The parcel to ${city} arrived damaged, box 7`, { at: t });
    const color = await say(number, customer, "I want the blue one", { at: t + 10 });
    await deliver(
      change(number, {
        side: "customer",
        customer,
        wamid: `${color}-edit`,
        original: color,
        edit: `I want the ${edited} one`,
        timestamp: t + 20,
      }),
    );
    const gone = await say(number, customer, `My password is ${secret}`, { at: t + 30 });
    await deliver(change(number, { side: "customer", customer, wamid: `${gone}-revoke`, original: gone, timestamp: t + 40 }));
    await say(number, customer, "Thanks!", { at: t + 50 });

    const [hit] = await search(agent, city.toLowerCase());
    expect(hit!.contact.waId).toBe(customer);
    // A short message is quoted whole, not as a fragment that drops words at either end.
    expect(hit!.match!.snippet).toBe(`The parcel to ${HIGHLIGHT_START}${city}${HIGHLIGHT_END} arrived damaged, box 7`);
    // A long one is quoted around the match, and says where it was cut.
    const bird = word("albatross");
    await say(
      number,
      newWaId(),
      `Hello there, I wrote to you last week about my order and the ${bird} figurine that arrived with a broken wing; could you send a new one before the weekend?`,
    );
    const [long] = await search(agent, bird.toLowerCase());
    expect(long!.match!.snippet).toMatch(new RegExp(`^… [^…]*${HIGHLIGHT_START}${bird}${HIGHLIGHT_END}[^…]* …$`));
    const [matched] = await db.select({ id: messages.id }).from(messages).where(eq(messages.wamid, parcel));
    expect(hit!.match!.messageId).toBe(matched!.id);
    expect(hit!.match!.direction).toBe("inbound");

    expect(await search(agent, `"${city} arrived damaged"`)).toHaveLength(1);
    expect(await search(agent, `"damaged arrived ${city}"`)).toHaveLength(0);
    expect(await search(agent, edited)).toHaveLength(1);
    expect(await search(agent, secret)).toHaveLength(0);
  });

  it("never returns another number's conversations, by name, number or text", async () => {
    const mine = await createNumber(db);
    const theirs = await createNumber(db);
    const agent = await userOn([mine]);
    const name = word("Ingrid");
    const text = word("walrus");
    const shared = newWaId();
    await say(mine, shared, `About the ${text}`, { name });
    await say(theirs, shared, `About the ${text}`, { name });

    for (const q of [name, text, shared]) {
      const found = await search(agent, q);
      expect(found.map((c) => c.numberId)).toEqual([mine.id]);
    }
    await expect(search(agent, name, theirs.id)).rejects.toMatchObject({ code: "NOT_FOUND" });

    const admin = await userOn([], "admin");
    expect((await search(admin, name)).map((c) => c.numberId).sort()).toEqual([mine.id, theirs.id].sort());
  });

  it("takes any typed characters without an error", async () => {
    const number = await createNumber(db);
    const agent = await userOn([number]);
    await say(number, newWaId(), "Order #123 isn't here!", { name: "O'Brien" });
    for (const q of ["'", "&", "a:*", "(", "!!", "|", '"', "O'Brien", "isn't", "\\", "+", "%", "_", "<->"]) {
      await expect(search(agent, q)).resolves.toBeInstanceOf(Array);
    }
    expect(await search(agent, "O'Brien")).toHaveLength(1);
  });

  it("pages through hits newest first, whether the page fills among the newest conversations or not", async () => {
    const number = await createNumber(db);
    const agent = await userOn([number]);
    const term = word("parcel");
    const customers = [newWaId(), newWaId(), newWaId(), newWaId()];
    const t = now() - 600;
    await say(number, customers[0]!, `Where is my ${term}?`, { at: t });
    await say(number, customers[1]!, "Unrelated question", { at: t + 10 });
    await say(number, customers[2]!, `The ${term} is late`, { at: t + 20 });
    await say(number, customers[3]!, `Second ${term} arrived`, { at: t + 30 });

    const seen: string[] = [];
    let cursor: { lastMessageAt: Date; id: string } | undefined;
    for (let i = 0; i < 4; i++) {
      const page = await listConversationsForUser({
        ctx: agent,
        input: { numberId: number.id, view: "all", search: term, limit: 1, cursor },
      });
      seen.push(...page.conversations.map((c) => c.contact.waId!));
      if (!page.nextCursor) break;
      const [at, id] = page.nextCursor.split("|") as [string, string];
      cursor = { lastMessageAt: new Date(at), id };
    }
    expect(seen).toEqual([customers[3], customers[2], customers[0]]);
  });

  it("answers a page of a name or a rare word in one statement, its matching messages marked", async () => {
    const number = await createNumber(db);
    const agent = await userOn([number]);
    const name = word("Leopold");
    const term = word("pelican");
    const t = now() - 300;
    const named = newWaId();
    await say(number, named, "Good morning", { name: `${name} Fischer`, at: t });
    const texted = newWaId();
    const older = await say(number, texted, `A ${term} on the roof`, { at: t + 10 });
    const newer = await say(number, texted, `The ${term} again`, { at: t + 20 });
    await say(number, texted, "Unrelated", { at: t + 30 });
    await say(number, newWaId(), `Another ${term}`, { at: t + 40 });
    const ids = await db.select({ id: messages.id, wamid: messages.wamid }).from(messages);
    const idOf = (wamid: string) => ids.find((m) => m.wamid === wamid)!.id;

    const ctx = { ...agent, db: drizzle(counted) };
    const searchCounted = async (q: string) => {
      statements = 0;
      const page = await listConversationsForUser({ ctx, input: { numberId: number.id, view: "all", search: q, limit: 50 } });
      return { page: page.conversations, statements };
    };
    await searchCounted(name);
    await counted`select 1`;

    const byName = await searchCounted(name);
    expect(byName.page.map((c) => [c.contact.waId, c.match])).toEqual([[named, null]]);
    const byText = await searchCounted(term);
    expect(byText.page).toHaveLength(2);
    const hit = byText.page.find((c) => c.contact.waId === texted)!;
    expect(hit.match).toEqual({
      messageId: idOf(newer),
      sentAt: expect.any(Date),
      snippet: expect.stringContaining(`${HIGHLIGHT_START}${term}${HIGHLIGHT_END} again`),
      direction: "inbound",
    });
    expect(hit.match!.messageId).not.toBe(idOf(older));
    expect([byName.statements, byText.statements]).toEqual([1, 1]);
  });
});
