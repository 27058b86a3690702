import { sql } from "drizzle-orm";
import type { Executor } from "../client";

/**
 * Pacing buckets shared by all worker processes (GCRA over one row per bucket). Times come from the
 * database clock, so workers on machines with skewed clocks still share one schedule.
 */

/**
 * Reserves the next free slot of a bucket that allows one send per `intervalMs`, and returns how many
 * milliseconds the caller waits before sending. One atomic upsert: concurrent callers get distinct slots.
 */
export async function reserveSendSlot(db: Executor, params: { key: string; intervalMs: number }): Promise<number> {
  const interval = sql`make_interval(secs => ${params.intervalMs / 1000})`;
  const rows = await db.execute<{ wait_ms: number }>(sql`
    insert into send_pacing as p (key, next_slot_at) values (${params.key}, clock_timestamp() + ${interval})
    on conflict (key) do update set next_slot_at = greatest(p.next_slot_at, clock_timestamp()) + ${interval}
    returning greatest(0, extract(epoch from (p.next_slot_at - ${interval} - clock_timestamp())) * 1000)::float8 as wait_ms`);
  return Number(rows[0]?.wait_ms ?? 0);
}

/**
 * Takes a slot now if the bucket allows it: one per `intervalMs` on average, with up to `burst`
 * sends in a row. Otherwise takes nothing and says in how many milliseconds a slot frees up.
 */
export async function takeSendSlot(
  db: Executor,
  params: { key: string; intervalMs: number; burst: number },
): Promise<{ taken: true } | { taken: false; retryInMs: number }> {
  const interval = sql`make_interval(secs => ${params.intervalMs / 1000})`;
  const tolerance = sql`make_interval(secs => ${((params.burst - 1) * params.intervalMs) / 1000})`;
  const taken = await db.execute(sql`
    insert into send_pacing as p (key, next_slot_at) values (${params.key}, clock_timestamp() + ${interval})
    on conflict (key) do update set next_slot_at = greatest(p.next_slot_at, clock_timestamp()) + ${interval}
      where p.next_slot_at <= clock_timestamp() + ${tolerance}
    returning 1`);
  if (taken.length > 0) return { taken: true };
  const rows = await db.execute<{ retry_ms: number }>(sql`
    select greatest(0, extract(epoch from (next_slot_at - ${tolerance} - clock_timestamp())) * 1000)::float8 as retry_ms
    from send_pacing where key = ${params.key}`);
  return { taken: false, retryInMs: Math.ceil(Number(rows[0]?.retry_ms ?? 0)) };
}
