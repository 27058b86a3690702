import { AppError } from "@/lib/errors";
import { waIdOf } from "@/lib/whatsapp/phone";
import type { Ctx, UserActor } from "../context";
import { assertCanAccessNumber } from "../numbers/access";
import { resolveContactOnly } from "./resolve-contact";

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
  const contact = await resolveContactOnly(ctx.db, { numberId: input.numberId, ref: { waId, userId: null, profileName: null } });
  return { contactId: contact.id };
}
