import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { type DbNotice, NOTIFY_CHANNEL } from "./events";

/** Announces a change; called inside the writing transaction so a rollback announces nothing. */
export async function notifyChange(db: Executor, notice: DbNotice) {
  await db.execute(sql`select pg_notify(${NOTIFY_CHANNEL}, ${JSON.stringify(notice)})`);
}

/** Several changes in one statement, announced in order: a query (null for none), started when awaited or `pipelined`. */
export function notifyChanges(db: Executor, notices: DbNotice[]) {
  if (notices.length === 0) return null;
  return db.execute(
    sql`select pg_notify(${NOTIFY_CHANNEL}, n) from unnest(${sql.param(notices.map((n) => JSON.stringify(n)))}::text[]) with ordinality as t(n, i) order by i`,
  );
}
