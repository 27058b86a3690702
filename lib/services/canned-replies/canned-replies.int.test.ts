import { describe, expect, it } from "vitest";
import { connectTestDatabase } from "@/db/testing/database";
import { createAgent, createNumber, createUser, ctxAs } from "@/db/testing/factories";
import { AppError } from "@/lib/errors";
import { createCannedReply, deleteCannedReply, listCannedReplies, shortcutSchema, updateCannedReply } from "./canned-replies";

const { db } = connectTestDatabase();
const rejectsWith = (promise: Promise<unknown>, code: string) =>
  expect(promise).rejects.toSatisfy((e) => e instanceof AppError && e.code === code);

describe("canned replies", () => {
  it("are shared per number: every member lists them, another number's agent cannot", async () => {
    const [number, other] = [await createNumber(db), await createNumber(db)];
    const admin = await createUser(db);
    const member = await createAgent(db, [number.id]);
    const stranger = await createAgent(db, [other.id]);
    const created = await createCannedReply({
      ctx: ctxAs(db, admin),
      input: { numberId: number.id, shortcut: "thanks", body: "Thank you, {{name}}!" },
    });
    await createCannedReply({ ctx: ctxAs(db, admin), input: { numberId: other.id, shortcut: "thanks", body: "Elsewhere" } });

    expect(await listCannedReplies({ ctx: ctxAs(db, member), input: { numberId: number.id } })).toEqual([
      expect.objectContaining({ id: created.id, shortcut: "thanks", body: "Thank you, {{name}}!" }),
    ]);
    await rejectsWith(listCannedReplies({ ctx: ctxAs(db, stranger), input: { numberId: number.id } }), "NOT_FOUND");
  });

  it("a shortcut is used once per number; editing and deleting change only that reply", async () => {
    const number = await createNumber(db);
    const admin = await createUser(db);
    const ctx = ctxAs(db, admin);
    const hours = await createCannedReply({ ctx, input: { numberId: number.id, shortcut: "hours", body: "9 to 5" } });
    await rejectsWith(createCannedReply({ ctx, input: { numberId: number.id, shortcut: "hours", body: "again" } }), "CONFLICT");
    const ship = await createCannedReply({ ctx, input: { numberId: number.id, shortcut: "ship", body: "2 days" } });
    await rejectsWith(updateCannedReply({ ctx, input: { id: ship.id, shortcut: "hours" } }), "CONFLICT");

    await updateCannedReply({ ctx, input: { id: hours.id, body: "9 to 6" } });
    await deleteCannedReply({ ctx, input: { id: ship.id } });
    expect(await listCannedReplies({ ctx, input: { numberId: number.id } })).toEqual([
      expect.objectContaining({ shortcut: "hours", body: "9 to 6" }),
    ]);
    await rejectsWith(deleteCannedReply({ ctx, input: { id: ship.id } }), "NOT_FOUND");
    await rejectsWith(
      createCannedReply({ ctx, input: { numberId: crypto.randomUUID(), shortcut: "x", body: "y" } }),
      "NOT_FOUND",
    );
  });

  it("a shortcut is typed with or without its slash, in any case; spaces and symbols are refused", () => {
    expect(shortcutSchema.parse(" /Thanks ")).toBe("thanks");
    expect(shortcutSchema.safeParse("two words").success).toBe(false);
    expect(shortcutSchema.safeParse("/").success).toBe(false);
  });
});
