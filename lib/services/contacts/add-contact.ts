import { AppError } from "@/lib/errors";
import { waIdOf } from "@/lib/whatsapp/phone";
import type { Ctx, UserActor } from "../context";
import { assertCanAccessNumber } from "../numbers/access";
import { renameContact } from "./rename-contact";
import { resolveContactOnly } from "./resolve-contact";

/**
 * The contact of a number for a phone number typed by an agent, created when the business never
 * talked to it: a conversation can then be started with a template. The name the agent gives is
 * the contact's agent-edited name, unless an agent named the contact before; without one, the
 * contact is known by its number until the customer answers (their profile name).
 */
export async function addContact({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: { numberId: string; phone: string; name?: string };
}) {
  const waId = waIdOf(input.phone);
  if (!waId) {
    throw new AppError("VALIDATION", "Type the number with its country code, as +1 555 010 9999 (8 to 15 digits).");
  }
  await assertCanAccessNumber(ctx, input.numberId, "NOT_FOUND");
  const contact = await resolveContactOnly(ctx.db, { numberId: input.numberId, ref: { waId, userId: null, profileName: null } });
  const name = input.name?.trim();
  if (name && !contact.customName) await renameContact({ ctx, input: { contactId: contact.id, name } });
  return { contactId: contact.id };
}
