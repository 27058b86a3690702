import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { contacts, conversations, historySyncs, messageReactions, messages, numberEvents, numbers } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createNumber, newWaId } from "@/db/testing/factories";
import {
  accountUpdate,
  change,
  contactSync,
  echo,
  historyChunk,
  historyDeclined,
  historyMedia,
  textMessage,
} from "@/lib/whatsapp/fixtures/build";
import { toMetaJson } from "@/lib/whatsapp/signature";
import { processWebhookEvents } from "./process-webhook-events";
import { receiveWebhook } from "./receive-webhook";

const { db, sql } = connectTestDatabase();
const ctx = { db, sql, actor: { kind: "webhook" } } as const;
type Num = Awaited<ReturnType<typeof createNumber>>;

async function deliver(body: unknown) {
  const { eventId } = await receiveWebhook({ ctx, input: { raw: Buffer.from(toMetaJson(body)) } });
  if (eventId !== null) await processWebhookEvents({ ctx, input: { eventIds: [eventId] } });
}

/** Everything an agent could see for a number, without generated ids. */
async function snapshot(number: Num) {
  const msgs = await db
    .select({
      wamid: messages.wamid,
      direction: messages.direction,
      origin: messages.origin,
      type: messages.type,
      body: messages.body,
      content: messages.content,
      status: messages.status,
      editedBody: messages.editedBody,
      editHistory: messages.editHistory,
      deletedAt: messages.deletedAt,
      sentAt: messages.sentAt,
      contact: contacts.waId,
    })
    .from(messages)
    .innerJoin(contacts, eq(contacts.id, messages.contactId))
    .where(eq(messages.numberId, number.id))
    .orderBy(asc(messages.wamid));
  const convs = await db
    .select({
      contact: contacts.waId,
      unreadCount: conversations.unreadCount,
      lastMessageAt: conversations.lastMessageAt,
      lastMessagePreview: conversations.lastMessagePreview,
      lastCustomerMessageAt: conversations.lastCustomerMessageAt,
      status: conversations.status,
    })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(conversations.numberId, number.id))
    .orderBy(asc(contacts.waId));
  const people = await db
    .select({
      waId: contacts.waId,
      profileName: contacts.profileName,
      addressBookName: contacts.addressBookName,
      removed: contacts.addressBookRemovedAt,
    })
    .from(contacts)
    .where(eq(contacts.numberId, number.id))
    .orderBy(asc(contacts.waId));
  const [sync] = await db.select().from(historySyncs).where(eq(historySyncs.numberId, number.id));
  const reactions = await db
    .select({ target: messageReactions.targetWamid, reactor: messageReactions.reactor, emoji: messageReactions.emoji })
    .from(messageReactions)
    .where(eq(messageReactions.numberId, number.id));
  return {
    msgs,
    convs,
    people,
    reactions,
    sync: sync && {
      state: sync.state,
      maxProgress: sync.maxProgress,
      phasesSeen: sync.phasesSeen,
      chunks: sync.chunksReceived,
      messages: sync.messagesImported,
      conversations: sync.conversationsImported,
    },
  };
}

/** Delivers the same story to two fresh numbers, in order and in the given other order; both must end alike. */
async function expectOrderIndependent(
  story: (n: Num) => unknown[],
  reorder: (bodies: unknown[]) => unknown[] = (b) => [...b].reverse(),
) {
  const inOrder = await createNumber(db, { onboardedAt: new Date(Date.now() - 3600_000) });
  const shuffled = await createNumber(db, { onboardedAt: inOrder.onboardedAt });
  for (const body of story(inOrder)) await deliver(body);
  for (const body of reorder(story(shuffled))) await deliver(body);
  const a = await snapshot(inOrder);
  expect(await snapshot(shuffled)).toEqual(a);
  return a;
}

const now = () => Math.floor(Date.now() / 1000);

describe("out of order delivery ends in the in-order state", () => {
  it("a customer message, its edit and its revoke", async () => {
    const customer = newWaId();
    const t = now() - 60;
    const state = await expectOrderIndependent((n) => [
      textMessage(n, { from: customer, wamid: "wamid.c1", text: "Blue, please", timestamp: t }),
      change(n, {
        side: "customer",
        customer,
        wamid: "wamid.c1-edit",
        original: "wamid.c1",
        edit: "Red, please",
        timestamp: t + 10,
      }),
      change(n, { side: "customer", customer, wamid: "wamid.c1-revoke", original: "wamid.c1", timestamp: t + 20 }),
    ]);
    expect(state.msgs).toHaveLength(1);
    expect(state.msgs[0]).toMatchObject({
      body: "Blue, please",
      editedBody: "Red, please",
      editHistory: [{ body: "Blue, please" }],
    });
    expect(state.msgs[0]!.deletedAt).not.toBeNull();
    expect(state.convs[0]!.unreadCount).toBe(1);
  });

  it("a phone echo with an edit and a deletion from the phone, never counted as customer activity", async () => {
    const customer = newWaId();
    const t = now() - 60;
    const state = await expectOrderIndependent((n) => [
      echo(n, { to: customer, wamid: "wamid.e1", timestamp: t, content: { body: "Hello from the shop" } }),
      change(n, {
        side: "phone",
        customer,
        wamid: "wamid.e1-edit",
        original: "wamid.e1",
        edit: "Hello from the shop!",
        timestamp: t + 5,
      }),
      change(n, { side: "phone", customer, wamid: "wamid.e1-revoke", original: "wamid.e1", timestamp: t + 9 }),
    ]);
    expect(state.msgs[0]).toMatchObject({ direction: "outbound", origin: "phone", editedBody: "Hello from the shop!" });
    expect(state.convs[0]).toMatchObject({ unreadCount: 0, lastCustomerMessageAt: null });
  });

  it("a history media placeholder and its follow-up", async () => {
    const customer = newWaId();
    const t = now() - 86_400 * 3;
    const state = await expectOrderIndependent((n) => [
      historyChunk(n, {
        phase: 0,
        chunkOrder: 1,
        progress: 100,
        threads: [{ id: customer, messages: [{ wamid: "wamid.h-media", from: customer, timestamp: t, placeholder: true }] }],
      }),
      historyMedia(n, {
        from: customer,
        wamid: "wamid.h-media",
        timestamp: t,
        caption: "Black Prince echeveria",
        mediaId: "24230790383178626",
      }),
    ]);
    expect(state.msgs[0]).toMatchObject({ origin: "history", type: "image", body: "Black Prince echeveria" });
  });

  it("address-book add and remove: the newer timestamp wins", async () => {
    const customer = newWaId();
    const state = await expectOrderIndependent((n) => [
      contactSync(n, { phone: customer, action: "add", fullName: "Pablo Morales", firstName: "Pablo", timestamp: 1000 }),
      contactSync(n, { phone: customer, action: "remove", timestamp: 2000 }),
    ]);
    expect(state.people[0]).toMatchObject({ addressBookName: null });
    expect(state.people[0]!.removed).not.toBeNull();
  });

  it("history chunks delivered in reverse give the same messages, conversations and progress", async () => {
    const [a, b, c] = [newWaId(), newWaId(), newWaId()];
    const t = now() - 86_400 * 10;
    const state = await expectOrderIndependent((n) => [
      historyChunk(n, {
        phase: 0,
        chunkOrder: 1,
        progress: 30,
        threads: [{ id: a, messages: [{ wamid: "wamid.h1", from: a, timestamp: t, text: "one" }] }],
      }),
      historyChunk(n, {
        phase: 1,
        chunkOrder: 1,
        progress: 60,
        threads: [
          {
            id: b,
            messages: [{ wamid: "wamid.h2", from: n.displayPhoneNumber, timestamp: t + 1, text: "two", status: "DELIVERED" }],
          },
        ],
      }),
      historyChunk(n, {
        phase: 2,
        chunkOrder: 1,
        progress: 100,
        threads: [
          { id: c, messages: [{ wamid: "wamid.h3", from: c, timestamp: t + 2, text: "three" }] },
          { id: a, messages: [{ wamid: "wamid.h4", from: a, timestamp: t + 3, text: "four" }] },
        ],
      }),
    ]);
    expect(state.sync).toEqual({
      state: "complete",
      maxProgress: 100,
      phasesSeen: [0, 1, 2],
      chunks: 3,
      messages: 4,
      conversations: 3,
    });
    expect(state.msgs.find((m) => m.wamid === "wamid.h2")).toMatchObject({ direction: "outbound", status: "delivered" });
  });

  it("offboarded then reconnected ends connected whichever arrives first", async () => {
    const inOrder = await createNumber(db);
    const shuffled = await createNumber(db);
    for (const [n, order] of [
      [inOrder, [1, 2]],
      [shuffled, [2, 1]],
    ] as const) {
      for (const i of order) {
        await deliver(
          accountUpdate(
            n,
            i === 1
              ? { event: "ACCOUNT_OFFBOARDED", time: 1_700_000_000 }
              : { event: "ACCOUNT_RECONNECTED", time: 1_700_000_100 },
          ),
        );
      }
    }
    for (const n of [inOrder, shuffled]) {
      const [row] = await db.select().from(numbers).where(eq(numbers.id, n.id));
      expect(row?.state).toBe("connected");
      expect(await db.select().from(numberEvents).where(eq(numberEvents.wabaId, n.wabaId))).toHaveLength(2);
    }
  });
});

describe("duplicates leave one effect", () => {
  it("every payload of a story delivered twice, concurrently, equals delivering it once", async () => {
    const customer = newWaId();
    const t = now() - 120;
    const story = (n: Num) => [
      textMessage(n, { from: customer, wamid: "wamid.d1", text: "Hi", timestamp: t }),
      echo(n, { to: customer, wamid: "wamid.d2", timestamp: t + 1 }),
      change(n, { side: "customer", customer, wamid: "wamid.d1-edit", original: "wamid.d1", edit: "Hi there", timestamp: t + 2 }),
      historyChunk(n, {
        phase: 0,
        chunkOrder: 1,
        progress: 100,
        threads: [{ id: customer, messages: [{ wamid: "wamid.d0", from: customer, timestamp: t - 86_400, text: "Old" }] }],
      }),
      contactSync(n, { phone: customer, action: "add", fullName: "Dora Dupe", timestamp: t }),
    ];
    const once = await createNumber(db, { onboardedAt: new Date(Date.now() - 3600_000) });
    const twice = await createNumber(db, { onboardedAt: once.onboardedAt });
    for (const body of story(once)) await deliver(body);
    for (const body of story(twice)) {
      // Same wamids, different bytes (another batch): stored as separate events, applied once.
      const other = {
        ...(body as object),
        entry: (body as { entry: unknown[] }).entry.map((e) => ({ ...(e as object), time: 1 })),
      };
      await Promise.all([deliver(body), deliver(other), deliver(body)]);
    }
    expect(await snapshot(twice)).toEqual(await snapshot(once));
  });
});

describe("concurrent processing", () => {
  it("a revoke and an edit processed at the same moment as their original are always applied", async () => {
    const number = await createNumber(db, { onboardedAt: new Date(Date.now() - 3600_000) });
    const customer = newWaId();
    const t = now() - 100;
    for (let i = 0; i < 10; i++) {
      await Promise.all([
        deliver(textMessage(number, { from: customer, wamid: `wamid.race-${i}`, text: "Original", timestamp: t + i })),
        deliver(
          change(number, {
            side: "customer",
            customer,
            wamid: `wamid.race-${i}-edit`,
            original: `wamid.race-${i}`,
            edit: "Edited",
            timestamp: t + i + 1,
          }),
        ),
        deliver(
          change(number, {
            side: "customer",
            customer,
            wamid: `wamid.race-${i}-revoke`,
            original: `wamid.race-${i}`,
            timestamp: t + i + 2,
          }),
        ),
      ]);
    }
    const rows = await db.select().from(messages).where(eq(messages.numberId, number.id));
    expect(rows).toHaveLength(10);
    for (const row of rows) {
      expect(row.editedBody).toBe("Edited");
      expect(row.deletedAt).not.toBeNull();
    }
  });
});

describe("coexistence rules", () => {
  it("imported history creates no unread, opens no window and stays below live conversations", async () => {
    const number = await createNumber(db, { onboardedAt: new Date(Date.now() - 3600_000) });
    const [live, old] = [newWaId(), newWaId()];
    await deliver(textMessage(number, { from: live, wamid: "wamid.live", text: "Live", timestamp: now() - 1800 }));
    // The sandbox may date history close to onboarding; it must still sort below live traffic.
    await deliver(
      historyChunk(number, {
        phase: 0,
        chunkOrder: 1,
        progress: 100,
        threads: [{ id: old, messages: [{ wamid: "wamid.old", from: old, timestamp: now() - 60, text: "Archive" }] }],
      }),
    );
    const conversationsOf = () =>
      db
        .select({
          waId: contacts.waId,
          unread: conversations.unreadCount,
          window: conversations.lastCustomerMessageAt,
          at: conversations.lastMessageAt,
          status: conversations.status,
        })
        .from(conversations)
        .innerJoin(contacts, eq(contacts.id, conversations.contactId))
        .where(eq(conversations.numberId, number.id));
    const rows = await conversationsOf();
    const archived = rows.find((r) => r.waId === old)!;
    const current = rows.find((r) => r.waId === live)!;
    expect(archived).toMatchObject({ unread: 0, window: null });
    expect(archived.at!.getTime()).toBeLessThan(current.at!.getTime());
    // History is an archive: the imported conversation waits in Resolved, the live one stays open.
    expect(archived.status).toBe("resolved");
    expect(current.status).toBe("open");

    await deliver(textMessage(number, { from: old, wamid: "wamid.back", text: "I'm back", timestamp: now() }));
    const reopened = (await conversationsOf()).find((r) => r.waId === old)!;
    expect(reopened).toMatchObject({ status: "open", unread: 1 });
  });

  it("imported history does not reopen or close a conversation that was already live", async () => {
    const number = await createNumber(db, { onboardedAt: new Date(Date.now() - 3600_000) });
    const customer = newWaId();
    await deliver(textMessage(number, { from: customer, wamid: "wamid.first", text: "Hi", timestamp: now() - 600 }));
    await deliver(
      historyChunk(number, {
        phase: 0,
        chunkOrder: 1,
        progress: 100,
        threads: [{ id: customer, messages: [{ wamid: "wamid.older", from: customer, timestamp: now() - 7200, text: "Old" }] }],
      }),
    );
    const [conversation] = await db.select().from(conversations).where(eq(conversations.numberId, number.id));
    expect(conversation?.status).toBe("open");
  });

  it("a 131060 placeholder is stored but is neither unread nor a window opener", async () => {
    const number = await createNumber(db);
    const customer = newWaId();
    const body = textMessage(number, { from: customer, wamid: "wamid.p1", text: "x" });
    const value = body.entry[0]!.changes[0]!.value as { messages: Record<string, unknown>[] };
    value.messages[0] = {
      ...value.messages[0],
      type: "unsupported",
      text: undefined,
      unsupported: { type: "media_placeholder" },
      errors: [{ code: 131060, title: "This message is currently unavailable." }],
    };
    await deliver(body);
    const [conversation] = await db.select().from(conversations).where(eq(conversations.numberId, number.id));
    expect(conversation).toMatchObject({
      unreadCount: 0,
      lastCustomerMessageAt: null,
      lastMessagePreview: "Message not yet available on WhatsApp",
    });
  });

  it("a declined history sync is terminal and says so", async () => {
    const number = await createNumber(db);
    await deliver(historyDeclined(number));
    const [sync] = await db.select().from(historySyncs).where(eq(historySyncs.numberId, number.id));
    expect(sync).toMatchObject({ state: "declined", error: { code: 2593109 } });
  });

  it("a disconnection from the phone records reason and initiator and blocks the number", async () => {
    const number = await createNumber(db);
    await deliver(
      accountUpdate(number, { event: "PARTNER_REMOVED", time: now(), reason: "PRIMARY_INACTIVITY", initiatedBy: "SYSTEM" }),
    );
    const [row] = await db.select().from(numbers).where(eq(numbers.id, number.id));
    expect(row).toMatchObject({
      state: "disconnected",
      disconnectionReason: "PRIMARY_INACTIVITY",
      disconnectionInitiatedBy: "SYSTEM",
    });
  });

  it("a BSUID-only contact is merged into the phone-number contact once a message names both", async () => {
    const number = await createNumber(db);
    const phone = newWaId();
    const bsuid = `US.${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    await deliver(textMessage(number, { from: phone, wamid: "wamid.m1", text: "By phone", timestamp: now() - 30 }));
    const bsuidOnly = textMessage(number, {
      from: "",
      wamid: "wamid.m2",
      text: "By username",
      timestamp: now() - 20,
      fromUserId: bsuid,
    });
    (bsuidOnly.entry[0]!.changes[0]!.value as { contacts: Record<string, unknown>[] }).contacts[0]!.wa_id = "";
    await deliver(bsuidOnly);
    expect(await db.select().from(contacts).where(eq(contacts.numberId, number.id))).toHaveLength(2);
    await deliver(
      textMessage(number, { from: phone, wamid: "wamid.m3", text: "Both", timestamp: now() - 10, fromUserId: bsuid }),
    );
    const merged = await db.select().from(contacts).where(eq(contacts.numberId, number.id));
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ waId: phone, userId: bsuid });
    const threads = await db.select().from(conversations).where(eq(conversations.numberId, number.id));
    expect(threads).toHaveLength(1);
    expect(threads[0]!.unreadCount).toBe(3);
    expect(await db.select().from(messages).where(eq(messages.conversationId, threads[0]!.id))).toHaveLength(3);
  });
});
