import { asc } from "drizzle-orm";
import type { Executor } from "../client";
import { labels } from "../schema";

export async function listLabels(db: Executor) {
  return db.select({ id: labels.id, name: labels.name, color: labels.color }).from(labels).orderBy(asc(labels.name));
}

export type LabelSummary = Awaited<ReturnType<typeof listLabels>>[number];
