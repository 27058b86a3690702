import { randomBytes, randomUUID } from "node:crypto";
import { contacts, conversations, messages, numberAccess, numbers, users } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto";
import type { Executor } from "../client";

export const TEST_SECRET = "integration-test-secret-0123456789";

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join("");

/** A connected number with unique Meta ids; onboarded an hour ago unless told otherwise. */
export async function createNumber(db: Executor, overrides: Partial<typeof numbers.$inferInsert> = {}) {
  const [row] = await db
    .insert(numbers)
    .values({
      phoneNumberId: `1${digits(14)}`,
      wabaId: `2${digits(14)}`,
      displayPhoneNumber: `1555${digits(7)}`,
      verifiedName: "Test Shop",
      accessTokenEncrypted: encryptSecret("test-token", TEST_SECRET),
      onboardedAt: new Date(Date.now() - 60 * 60 * 1000),
      ...overrides,
    })
    .returning();
  return row!;
}

export async function createUser(db: Executor, overrides: Partial<typeof users.$inferInsert> = {}) {
  const [row] = await db
    .insert(users)
    .values({ email: `user-${randomUUID()}@example.com`, name: "Test Agent", passwordHash: "x", role: "admin", ...overrides })
    .returning();
  return row!;
}

export const newWamid = () => `wamid.${randomBytes(24).toString("base64")}`;
export const newWaId = () => `1650${digits(7)}`;

/** A contact of a number and its conversation, with a recent last message so lists show it. */
export async function createConversation(
  db: Executor,
  input: { numberId: string } & Partial<typeof conversations.$inferInsert>,
  contact: Partial<typeof contacts.$inferInsert> = {},
) {
  const [person] = await db
    .insert(contacts)
    .values({ numberId: input.numberId, waId: newWaId(), profileName: "Test Customer", ...contact })
    .returning();
  const [row] = await db
    .insert(conversations)
    .values({ contactId: person!.id, lastMessageAt: new Date(), lastMessagePreview: "Hello", ...input })
    .returning();
  return row!;
}

/**
 * Texts from a conversation's customer, oldest first, one second apart, the last a second before
 * `endAt`; each may override its columns (an edit, a deletion). Returns their ids in that order.
 */
export async function insertCustomerTexts(
  db: Executor,
  conversation: { id: string; numberId: string; contactId: string },
  texts: ({ body: string } & Partial<typeof messages.$inferInsert>)[],
  endAt = new Date(),
) {
  const rows = await db
    .insert(messages)
    .values(
      texts.map((text, i) => ({
        numberId: conversation.numberId,
        conversationId: conversation.id,
        contactId: conversation.contactId,
        wamid: newWamid(),
        direction: "inbound" as const,
        origin: "customer" as const,
        type: "text",
        status: "received" as const,
        sentAt: new Date(endAt.getTime() - (texts.length - i) * 1000),
        ...text,
      })),
    )
    .returning({ id: messages.id });
  return rows.map((row) => row.id);
}

/** An active agent who may see the given numbers. */
export async function createAgent(db: Executor, numberIds: string[], overrides: Partial<typeof users.$inferInsert> = {}) {
  const agent = await createUser(db, { role: "agent", name: "Test Agent", ...overrides });
  if (numberIds.length > 0) await db.insert(numberAccess).values(numberIds.map((numberId) => ({ userId: agent.id, numberId })));
  return agent;
}

/** A use-case context acting as this user. */
export const ctxAs = (db: Executor, user: typeof users.$inferSelect) => ({
  db,
  actor: { kind: "user" as const, userId: user.id, role: user.role, name: user.name },
});
