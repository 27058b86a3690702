import { and, eq } from "drizzle-orm";
import { contacts } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { waIdOf } from "@/lib/whatsapp/phone";
import type { Ctx, UserActor } from "../context";
import { assertCanAccessNumber } from "../numbers/access";

/**
 * The contact of a number for a phone number typed by an agent, created when the business never
 * talked to it: a conversation can then be started with a template. Known only by its number until
 * the customer answers (their profile name) or the agent names them.
 */
export async function addContact({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: { numberId: string; phone: string };
}) {
  const waId = waIdOf(input.phone);
  if (!waId) {
    throw new AppError("VALIDATION", "Type the number with its country code, as +1 555 010 9999 (8 to 15 digits).");
  }
  await assertCanAccessNumber(ctx, input.numberId, "NOT_FOUND");
  const [created] = await ctx.db
    .insert(contacts)
    .values({ numberId: input.numberId, waId })
    .onConflictDoNothing()
    .returning({ id: contacts.id });
  if (created) return { contactId: created.id, created: true };
  const [existing] = await ctx.db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.numberId, input.numberId), eq(contacts.waId, waId)));
  if (!existing) throw new Error("contact neither inserted nor found");
  return { contactId: existing.id, created: false };
}
