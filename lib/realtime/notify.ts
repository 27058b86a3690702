import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { type DbNotice, NOTIFY_CHANNEL } from "./events";

/** Announces a change; called inside the writing transaction so a rollback announces nothing. */
export async function notifyChange(db: Executor, notice: DbNotice) {
  await db.execute(sql`select pg_notify(${NOTIFY_CHANNEL}, ${JSON.stringify(notice)})`);
}
