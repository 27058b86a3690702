import { randomUUID } from "node:crypto";
import type { Sql } from "@/db/client";

/**
 * Loads a realistic inbox straight into the tables, for trying Tandem at scale and for the bench:
 * contacts named from every source, conversations in every status, and threads of customer, agent,
 * phone and imported messages spread over 180 days. One conversation holds a 10,000-message thread.
 * Bulk rows go through postgres.js `sql(rows)` multi-row inserts.
 */

const FIRST = [
  "Ana",
  "Ben",
  "Carla",
  "Dmitri",
  "Elif",
  "Farah",
  "Gustavo",
  "Hana",
  "Ivan",
  "Jana",
  "Kofi",
  "Lena",
  "Mateo",
  "Nadia",
  "Omar",
  "Priya",
  "Quentin",
  "Rosa",
  "Sven",
  "Tariq",
  "Uma",
  "Viktor",
  "Wen",
  "Ximena",
  "Yusuf",
  "Zoe",
  "Amara",
  "Bruno",
  "Chiara",
  "Diego",
  "Emeka",
  "Fatima",
  "Giulia",
  "Hugo",
  "Ines",
  "Jonas",
  "Keiko",
  "Luca",
  "Maya",
  "Nils",
];
const LAST = [
  "Silva",
  "Müller",
  "Okafor",
  "Nguyen",
  "Kowalski",
  "García",
  "Rossi",
  "Haddad",
  "Yilmaz",
  "Tanaka",
  "Novak",
  "Dubois",
  "Andersen",
  "Costa",
  "Ivanova",
  "Mensah",
  "Schmidt",
  "Fernández",
  "Park",
  "Sato",
  "Lindqvist",
  "Moreau",
  "Petrov",
  "Kaur",
  "Santos",
  "Ahmed",
  "Bianchi",
  "Hoffmann",
  "Lopez",
  "Weber",
];
const COUNTRY = ["49", "44", "55", "34", "33", "39", "1", "91", "234", "52"];
const PRODUCTS = [
  "sneakers",
  "backpack",
  "jacket",
  "headphones",
  "lamp",
  "mug",
  "watch",
  "charger",
  "blender",
  "sofa",
  "rug",
  "kettle",
  "helmet",
  "scarf",
  "tent",
];
const CITIES = [
  "Lisbon",
  "Berlin",
  "Lagos",
  "São Paulo",
  "Madrid",
  "Lyon",
  "Milan",
  "Austin",
  "Pune",
  "Leeds",
  "Porto",
  "Hamburg",
];

const CUSTOMER = [
  "Hi, where is my order {order}?",
  "The {product} arrived damaged, can I get a replacement?",
  "Do you ship to {city}?",
  "Is the {product} still in stock in blue?",
  "I paid yesterday but order {order} still says pending",
  "Can I change the delivery address to {city}?",
  "Thanks, that worked!",
  "What are your opening hours on Saturday?",
  "The tracking link for {order} does not open",
  "Could you send me the invoice for order {order}?",
  "I would like to return the {product}",
  "ok 👍",
];
const BUSINESS = [
  "Hello! Let me check order {order} for you.",
  "Your {product} ships tomorrow from our {city} warehouse.",
  "Sorry about that! A replacement {product} is on its way.",
  "We are open 9:00-18:00 on Saturdays.",
  "Here is your invoice for order {order}.",
  "You're welcome, have a nice day!",
  "Yes, we ship to {city} within 3 days.",
  "I have updated the address on order {order}.",
];

/** A small deterministic generator, so two seeds with the same arguments look alike. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type SeedOptions = {
  numberId: string;
  conversations: number;
  messages: number;
  /** Conversations per round trip group (contacts, conversations, then their messages). */
  batch?: number;
  onProgress?: (done: { conversations: number; messages: number }) => void;
};

/** How many messages each conversation gets: one long thread, the rest skewed like real inboxes. */
export function threadSizes(conversations: number, messages: number, rand: () => number) {
  const sizes = new Array<number>(conversations).fill(1);
  let left = messages - conversations;
  if (left < 0) throw new Error("--messages must be at least --conversations");
  const longest = Math.min(10_000, Math.floor(left / 2));
  if (conversations > 1 && longest >= 1000) {
    sizes[0]! += longest;
    left -= longest;
  }
  const weights = Array.from({ length: conversations }, () => 1 / (0.05 + rand()));
  const total = weights.reduce((a, b) => a + b, 0);
  let given = 0;
  for (let i = 0; i < conversations; i++) {
    const extra = Math.floor((weights[i]! / total) * left);
    sizes[i]! += extra;
    given += extra;
  }
  for (let i = 0; given < left; i = (i + 1) % conversations, given++) sizes[i]! += 1;
  return sizes;
}

export async function seedInbox(sql: Sql, options: SeedOptions) {
  const rand = random(options.conversations * 31 + options.messages);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const fill = (template: string) =>
    template
      .replace("{order}", `#${100000 + Math.floor(rand() * 900000)}`)
      .replace("{product}", pick(PRODUCTS))
      .replace("{city}", pick(CITIES));
  const sizes = threadSizes(options.conversations, options.messages, rand);
  const run = randomUUID().slice(0, 8);
  const now = Date.now();
  const DAY = 86_400_000;
  const batch = options.batch ?? 500;
  let doneMessages = 0;
  let longThreadId = "";
  // Contact numbers end with a running index past the number's existing contacts: unique by construction.
  const [counted] = await sql<{ existing: number }[]>`
    select count(*)::int as existing from contacts where number_id = ${options.numberId}`;
  const existing = counted?.existing ?? 0;

  for (let start = 0; start < options.conversations; start += batch) {
    const end = Math.min(options.conversations, start + batch);
    const people = [];
    for (let i = start; i < end; i++) {
      const name = `${pick(FIRST)} ${pick(LAST)}`;
      const source = rand();
      people.push({
        number_id: options.numberId,
        wa_id: `${pick(COUNTRY)}${String(Math.floor(rand() * 1000)).padStart(3, "0")}${String(existing + i).padStart(8, "0")}`,
        profile_name: source < 0.9 ? name : null,
        address_book_name: source > 0.6 ? `${name.split(" ")[0]} (${pick(CITIES)})` : null,
        custom_name: source > 0.95 ? `${name} VIP` : null,
      });
    }
    const contactRows = await sql<{ id: string }[]>`insert into contacts ${sql(people)} returning id`;

    const conversationRows = [];
    const threads: { size: number; firstAt: number; step: number }[] = [];
    for (let i = start; i < end; i++) {
      const size = sizes[i]!;
      // Newest activity spread over 180 days; a thread's messages end at its last activity.
      const lastAt = now - Math.floor(rand() ** 2 * 180 * DAY);
      const span = Math.min(lastAt - (now - 365 * DAY), size * 20 * 60_000);
      const step = Math.max(1000, Math.floor(span / size));
      threads.push({ size, firstAt: lastAt - step * (size - 1), step });
      const roll = rand();
      conversationRows.push({
        number_id: options.numberId,
        contact_id: contactRows[i - start]!.id,
        status: roll < 0.6 ? "open" : roll < 0.75 ? "pending" : "resolved",
        unread_count: roll < 0.2 ? 1 + Math.floor(rand() * 4) : 0,
        last_message_at: new Date(lastAt).toISOString(),
        last_message_preview: "",
        last_message_direction: "inbound",
        last_customer_message_at: new Date(lastAt).toISOString(),
        has_history: rand() < 0.3,
      });
    }

    let messageRows: Record<string, unknown>[] = [];
    const flush = async () => {
      if (messageRows.length === 0) return;
      const rows = messageRows;
      messageRows = [];
      await sql`insert into messages ${sql(rows)}`;
      doneMessages += rows.length;
    };
    for (const [k, thread] of threads.entries()) {
      const conversation = conversationRows[k]!;
      for (let j = 0; j < thread.size; j++) {
        const inbound = j === thread.size - 1 ? conversation.unread_count > 0 || rand() < 0.5 : rand() < 0.55;
        const origin = inbound ? "customer" : rand() < 0.6 ? "agent" : rand() < 0.7 ? "phone" : "history";
        const body = fill(inbound ? pick(CUSTOMER) : pick(BUSINESS));
        const sentAt = new Date(thread.firstAt + j * thread.step).toISOString();
        const deleted = rand() < 0.003;
        if (j === thread.size - 1) {
          conversation.last_message_preview = deleted ? "This message was deleted" : body;
          conversation.last_message_direction = inbound ? "inbound" : "outbound";
        }
        messageRows.push({
          number_id: options.numberId,
          conversation_id: null,
          contact_id: contactRows[k]!.id,
          wamid: `wamid.seed-${run}-${start + k}-${j}`,
          direction: inbound ? "inbound" : "outbound",
          origin,
          type: "text",
          body,
          content: JSON.stringify({ text: { body } }),
          status: inbound ? "received" : "read",
          sent_at: sentAt,
          deleted_at: deleted ? sentAt : null,
        });
      }
    }
    const inserted = await sql<{ id: string }[]>`insert into conversations ${sql(conversationRows)} returning id`;
    if (start === 0) longThreadId = inserted[0]!.id;
    // Messages were built before their conversation ids existed: fill them in, then write in chunks.
    const all = messageRows;
    messageRows = [];
    let cursor = 0;
    for (const [k, thread] of threads.entries()) {
      for (let j = 0; j < thread.size; j++) all[cursor++]!.conversation_id = inserted[k]!.id;
    }
    for (let i = 0; i < all.length; i += 4000) {
      messageRows = all.slice(i, i + 4000);
      await flush();
    }
    options.onProgress?.({ conversations: end, messages: doneMessages });
  }
  // What autovacuum does after a bulk load, done now: the text indexes' pending entries merged (a
  // search would otherwise scan them all), the visibility map set, the statistics gathered.
  await sql`vacuum (analyze) contacts, conversations, messages`;
  // The first conversation holds the long thread (all messages when there is only one).
  return { conversations: options.conversations, messages: doneMessages, longThreadId };
}
