import { listContacts } from "@/db/queries/contacts";
import { listNumberIdsForUser } from "@/db/queries/numbers";
import { AppError } from "@/lib/errors";
import type { Ctx, UserActor } from "../context";

/** Contacts of the numbers the user may see (or one of them), to start a conversation from. */
export async function listContactsForUser({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: { search: string; numberId?: string; limit: number };
}) {
  const allowed = await listNumberIdsForUser(ctx.db, ctx.actor);
  if (input.numberId && !allowed.includes(input.numberId)) throw new AppError("NOT_FOUND", "This number does not exist.");
  return listContacts(ctx.db, {
    numberIds: input.numberId ? [input.numberId] : allowed,
    search: input.search,
    limit: input.limit,
  });
}
