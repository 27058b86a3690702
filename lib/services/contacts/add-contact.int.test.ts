import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { contacts } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createAgent, createNumber, createUser, ctxAs } from "@/db/testing/factories";
import { AppError } from "@/lib/errors";
import { startConversation } from "../conversations/start-conversation";
import { addContact } from "./add-contact";

const { db } = connectTestDatabase();
const rejectsWith = (promise: Promise<unknown>, code: string) =>
  expect(promise).rejects.toSatisfy((e) => e instanceof AppError && e.code === code);

describe("a contact for a typed number", () => {
  it("is made once per number, and its conversation starts with the window closed", async () => {
    const number = await createNumber(db);
    const agent = await createAgent(db, [number.id]);
    const ctx = ctxAs(db, agent);
    const first = await addContact({ ctx, input: { numberId: number.id, phone: "+1 (555) 010-7777" } });
    const again = await addContact({ ctx, input: { numberId: number.id, phone: "15550107777" } });
    expect(again.contactId).toBe(first.contactId);
    const rows = await db.select().from(contacts).where(eq(contacts.numberId, number.id));
    expect(rows.map((c) => c.waId)).toEqual(["15550107777"]);

    const { conversationId } = await startConversation({ ctx, input: { contactId: first.contactId } });
    expect(conversationId).toBeTruthy();
  });

  it("takes the name the agent gives, but never renames a contact an agent named before", async () => {
    const number = await createNumber(db);
    const ctx = ctxAs(db, await createAgent(db, [number.id]));
    const named = await addContact({ ctx, input: { numberId: number.id, phone: "+15550106666", name: "  Rosa Jiménez " } });
    await addContact({ ctx, input: { numberId: number.id, phone: "+15550106666", name: "Somebody else" } });
    const unnamed = await addContact({ ctx, input: { numberId: number.id, phone: "+15550105555", name: " " } });
    const rows = await db.select().from(contacts).where(eq(contacts.numberId, number.id));
    expect(rows.find((c) => c.id === named.contactId)?.customName).toBe("Rosa Jiménez");
    expect(rows.find((c) => c.id === unnamed.contactId)?.customName).toBeNull();
  });

  it("refuses what is not a phone number, and a number the user is not on, and names nothing", async () => {
    const [number, other] = [await createNumber(db), await createNumber(db)];
    const stranger = await createAgent(db, [other.id]);
    const admin = await createUser(db);
    await rejectsWith(addContact({ ctx: ctxAs(db, admin), input: { numberId: number.id, phone: "Ines" } }), "VALIDATION");
    await rejectsWith(addContact({ ctx: ctxAs(db, admin), input: { numberId: number.id, phone: "555 0199" } }), "VALIDATION");
    await rejectsWith(
      addContact({ ctx: ctxAs(db, stranger), input: { numberId: number.id, phone: "+15550108888" } }),
      "NOT_FOUND",
    );
    expect(await db.select().from(contacts).where(eq(contacts.numberId, number.id))).toEqual([]);
  });
});
