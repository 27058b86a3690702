import { eq } from "drizzle-orm";
import { numbers } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { notifyChange } from "@/lib/realtime/notify";
import type { Ctx, UserActor } from "../context";

/** A number's team settings, changed by an admin (the route checks the role). */
export async function updateNumberSettings({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: { numberId: string; autoAssignOnReply: boolean };
}) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(numbers)
      .set({ autoAssignOnReply: input.autoAssignOnReply })
      .where(eq(numbers.id, input.numberId))
      .returning({ id: numbers.id, autoAssignOnReply: numbers.autoAssignOnReply });
    if (!row) throw new AppError("NOT_FOUND", "This number does not exist.");
    await notifyChange(tx, { type: "number", numberId: row.id });
    return row;
  });
}
