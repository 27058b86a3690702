import { AppError } from "@/lib/errors";
import type { Ctx, UserActor } from "../context";

/** Team management is for admins; the service checks it whatever the route or page did. */
export function assertAdmin(ctx: Ctx): asserts ctx is Ctx & { actor: UserActor } {
  if (ctx.actor.kind !== "user") throw new AppError("UNAUTHORIZED", "Sign in to continue.");
  if (ctx.actor.role !== "admin") throw new AppError("FORBIDDEN", "Only admins can do this.");
}
