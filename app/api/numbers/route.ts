import { listNumberIdsForUser, listNumbers } from "@/db/queries/numbers";
import { route } from "@/lib/http/route";

export const GET = route({ auth: "user" }, async ({ ctx }) => {
  const ids = await listNumberIdsForUser(ctx.db, ctx.actor);
  return { numbers: await listNumbers(ctx.db, { ids }) };
});
