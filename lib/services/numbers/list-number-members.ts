import { listNumberMembers as listMembers } from "@/db/queries/users";
import type { Ctx, UserActor } from "../context";
import { assertCanAccessNumber } from "./access";

/** Who works on a number (its agents and the admins): the people a note there can mention. */
export async function listNumberMembers({ ctx, input }: { ctx: Ctx & { actor: UserActor }; input: { numberId: string } }) {
  await assertCanAccessNumber(ctx, input.numberId, "NOT_FOUND");
  return listMembers(ctx.db, input);
}
