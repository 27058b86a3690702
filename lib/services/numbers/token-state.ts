import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { numbers } from "@/db/schema";
import { notifyChange } from "@/lib/realtime/notify";
import { resumeMediaDownloads } from "../media/queue-media-download";
import { resumeNumberSends } from "../messages/send-queue";

/** 190: the token is dead. The number pauses (sends, downloads) until an admin stores a new one. */
export async function markTokenInvalid(db: Executor, numberId: string) {
  await db.transaction(async (tx) => {
    await tx
      .update(numbers)
      .set({ tokenInvalidAt: sql`coalesce(${numbers.tokenInvalidAt}, now())` })
      .where(eq(numbers.id, numberId));
    await notifyChange(tx, { type: "number", numberId });
  });
}

/** A new token was stored (the number was connected again): what the dead one paused goes on. */
export async function resumeAfterNewToken(db: Executor, numberId: string) {
  await db.update(numbers).set({ tokenInvalidAt: null }).where(eq(numbers.id, numberId));
  await resumeNumberSends(db, numberId);
  await resumeMediaDownloads(db, numberId);
}
