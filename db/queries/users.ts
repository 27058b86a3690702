import { asc, eq } from "drizzle-orm";
import type { Executor } from "../client";
import { users } from "../schema";

/** Teammates to assign conversations to; no emails or hashes. */
export function listActiveUsers(db: Executor) {
  return db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(users)
    .where(eq(users.isActive, true))
    .orderBy(asc(users.name));
}
