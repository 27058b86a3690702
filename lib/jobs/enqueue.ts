import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";

export type JobPayloads = {
  "send-message": { messageId: string };
  "download-media": { assetId: string };
  "sync-templates": { numberId: string };
  "wake-conversation": { conversationId: string };
};

/**
 * Adds a graphile-worker job in the caller's transaction, so the job exists exactly when the data
 * it refers to is committed. `queue` serialises jobs that share it (sends of one number).
 */
export async function enqueueJob<K extends keyof JobPayloads>(
  db: Executor,
  task: K,
  payload: JobPayloads[K],
  options: { queue?: string; jobKey?: string; maxAttempts?: number; runAt?: Date } = {},
) {
  await db.execute(sql`select graphile_worker.add_job(
    ${task}::text,
    ${JSON.stringify(payload)}::json,
    queue_name => ${options.queue ?? null}::text,
    job_key => ${options.jobKey ?? null}::text,
    max_attempts => ${options.maxAttempts ?? 10}::int,
    run_at => ${options.runAt?.toISOString() ?? null}::timestamptz
  )`);
}
