import { type SQL, sql } from "drizzle-orm";

/**
 * Statuses only move forward: sent < failed < delivered < read < played. A delivery report beats a
 * failure (multi-device races), and the error of a failure is kept either way.
 */
export const statusRank = (column: SQL | string) =>
  sql`(case ${typeof column === "string" ? sql.raw(column) : column}
    when 'received' then 0 when 'queued' then 0 when 'sent' then 1 when 'failed' then 2
    when 'delivered' then 3 when 'read' then 4 when 'played' then 5 else 0 end)`;
