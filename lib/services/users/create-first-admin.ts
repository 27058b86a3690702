import { sql } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { Ctx } from "../context";
import { hashPassword } from "./passwords";

export const newUserSchema = z.object({
  name: z.string().trim().min(1, "Enter a name").max(100),
  email: z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address")),
  password: z.string().min(10, "Use at least 10 characters").max(200),
});

/**
 * Creates the first admin, only while no user exists. The advisory lock makes two simultaneous
 * first-run submissions produce one admin and one CONFLICT.
 */
export async function createFirstAdmin({ ctx, input }: { ctx: Ctx; input: z.infer<typeof newUserSchema> }) {
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('tandem:first-admin'))`);
    const [{ count } = { count: 0 }] = await tx.select({ count: sql<number>`count(*)::int` }).from(users);
    if (count > 0) throw new AppError("CONFLICT", "Tandem already has an admin. Sign in instead.");
    const [user] = await tx
      .insert(users)
      .values({ name: input.name, email: input.email, passwordHash, role: "admin" })
      .returning({ id: users.id, email: users.email, name: users.name, role: users.role });
    if (!user) throw new Error("insert returned no row");
    return user;
  });
}

export async function hasAnyUser(ctx: Ctx) {
  const rows = await ctx.db.select({ id: users.id }).from(users).limit(1);
  return rows.length > 0;
}

/** Automated deployments and tests: TANDEM_ADMIN_EMAIL/PASSWORD create the admin when none exists. */
export async function ensureAdminFromEnv({ ctx, input }: { ctx: Ctx; input: { email?: string; password?: string } }) {
  if (!input.email || !input.password) return null;
  if (await hasAnyUser(ctx)) return null;
  const parsed = newUserSchema.parse({ name: "Admin", email: input.email, password: input.password });
  return createFirstAdmin({ ctx, input: parsed }).catch((error) => {
    if (error instanceof AppError && error.code === "CONFLICT") return null;
    throw error;
  });
}
