import { and, eq } from "drizzle-orm";
import { numberAccess } from "@/db/schema";
import { AppError, type AppErrorCode } from "@/lib/errors";
import type { Ctx, UserActor } from "../context";

/** Admins reach every number; agents only the numbers granted to them. */
export async function assertCanAccessNumber(
  ctx: Ctx & { actor: UserActor },
  numberId: string,
  code: Extract<AppErrorCode, "NOT_FOUND" | "FORBIDDEN"> = "FORBIDDEN",
) {
  if (ctx.actor.role === "admin") return;
  const [grant] = await ctx.db
    .select()
    .from(numberAccess)
    .where(and(eq(numberAccess.userId, ctx.actor.userId), eq(numberAccess.numberId, numberId)));
  if (!grant) {
    throw new AppError(
      code,
      code === "NOT_FOUND" ? "This conversation does not exist." : "You do not have access to this number.",
    );
  }
}
