import { eq, sql } from "drizzle-orm";
import { contacts, conversations } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { notifyChange } from "@/lib/realtime/notify";
import type { Ctx, UserActor } from "../context";
import { assertCanAccessNumber } from "../numbers/access";

/** An agent's name for a contact beats the address book and the profile name; empty clears it. */
export async function renameContact({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: { contactId: string; name: string | null };
}) {
  const [contact] = await ctx.db.select().from(contacts).where(eq(contacts.id, input.contactId));
  if (!contact) throw new AppError("NOT_FOUND", "This contact does not exist.");
  await assertCanAccessNumber(ctx, contact.numberId, "NOT_FOUND");
  const name = input.name?.trim() || null;
  await ctx.db.transaction(async (tx) => {
    await tx.update(contacts).set({ customName: name, updatedAt: sql`now()` }).where(eq(contacts.id, contact.id));
    const [conversation] = await tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.contactId, contact.id));
    if (conversation)
      await notifyChange(tx, { type: "conversation", numberId: contact.numberId, conversationId: conversation.id });
  });
  return { contactId: contact.id, customName: name };
}
