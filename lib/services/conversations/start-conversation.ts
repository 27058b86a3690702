import { eq, sql } from "drizzle-orm";
import { contacts, conversations } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { notifyChange } from "@/lib/realtime/notify";
import type { Ctx, UserActor } from "../context";
import { assertCanAccessNumber } from "../numbers/access";

/**
 * Opens the conversation with a contact (one known only from the phone's address book included),
 * creating it when the customer never wrote. Its window is closed, so the agent starts with a template.
 */
export async function startConversation({ ctx, input }: { ctx: Ctx & { actor: UserActor }; input: { contactId: string } }) {
  const [contact] = await ctx.db.select().from(contacts).where(eq(contacts.id, input.contactId));
  if (!contact) throw new AppError("NOT_FOUND", "This contact does not exist.");
  await assertCanAccessNumber(ctx, contact.numberId, "NOT_FOUND");
  if (!contact.waId && !contact.userId) throw new AppError("VALIDATION", "This contact has no WhatsApp number to write to.");
  return ctx.db.transaction(async (tx) => {
    // One thread per contact and number: a concurrent start lands on the same row.
    const [row] = await tx
      .insert(conversations)
      .values({ numberId: contact.numberId, contactId: contact.id, assigneeId: ctx.actor.userId, lastMessageAt: new Date() })
      .onConflictDoUpdate({
        target: [conversations.numberId, conversations.contactId],
        set: { numberId: sql`excluded.number_id` },
      })
      .returning({ id: conversations.id, isNew: sql<boolean>`(xmax = 0)` });
    if (!row) throw new Error("upsert returned no row");
    if (row.isNew) await notifyChange(tx, { type: "conversation", numberId: contact.numberId, conversationId: row.id });
    return { conversationId: row.id, created: row.isNew };
  });
}
