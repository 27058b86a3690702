import type { Database } from "@/db/client";
import { findNumberByPhoneNumberId } from "@/db/queries/numbers";

export type NumberRow = NonNullable<Awaited<ReturnType<typeof findNumberByPhoneNumberId>>>;

/** Numbers looked up once per batch; a lifecycle event empties it, since it may change a number. */
export type NumberCache = Map<string, NumberRow>;

export async function findNumber(db: Database, phoneNumberId: string, cache: NumberCache) {
  const number = cache.get(phoneNumberId) ?? (await findNumberByPhoneNumberId(db, phoneNumberId));
  if (number) cache.set(phoneNumberId, number);
  return number;
}
