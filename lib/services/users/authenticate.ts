import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import type { Ctx } from "../context";
import { verifyPassword } from "./passwords";

/** Null for an unknown email, a wrong password or a deactivated user: the caller says nothing more. */
export async function authenticate({ ctx, input }: { ctx: Ctx; input: { email: string; password: string } }) {
  const [user] = await ctx.db.select().from(users).where(eq(users.email, input.email.trim().toLowerCase()));
  if (!user?.isActive) return null;
  if (!(await verifyPassword(user.passwordHash, input.password))) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
}
