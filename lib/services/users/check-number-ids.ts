import { inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { numbers } from "@/db/schema";
import { AppError } from "@/lib/errors";

/** Grants name numbers that exist; an unknown id is the admin's mistake, not a silent no-op. */
export async function checkNumberIds(db: Executor, numberIds: string[]) {
  const unique = [...new Set(numberIds)];
  if (unique.length === 0) return unique;
  const found = await db.select({ id: numbers.id }).from(numbers).where(inArray(numbers.id, unique));
  if (found.length !== unique.length) throw new AppError("VALIDATION", "One of the chosen numbers does not exist.");
  return unique;
}
