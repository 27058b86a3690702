import { type Database, type TxSql, withSavepoint } from "@/db/client";
import type { FailedItem } from "@/db/schema";
import type { WebhookItem } from "@/lib/whatsapp/webhook-payload";
import { applyStatuses, type StatusUpdate } from "../messages/apply-statuses";
import { type CustomerText, recordCustomerTexts } from "../messages/record-customer-texts";
import { findNumber, type NumberCache, type NumberRow } from "./number-cache";

/** A stored event and its parsed items, as the processor claimed it. */
type LiveCandidate = { event: { id: number; failedItems: FailedItem[] | null }; items: WebhookItem[] };

/**
 * The live items of an event made only of plain customer texts sent after onboarding (from a
 * WhatsApp id alone) and statuses without a callback tag, all to one number; else null.
 */
async function liveItemsOf(db: Database, { event, items }: LiveCandidate, cache: NumberCache) {
  if (event.failedItems?.length || items.length === 0) return null;
  let number: NumberRow | null = null;
  const texts: CustomerText[] = [];
  const statuses: StatusUpdate[] = [];
  for (const item of items) {
    if (!("event" in item) || (item.event.kind !== "message" && item.event.kind !== "status")) return null;
    const e = item.event;
    number ??= await findNumber(db, e.phoneNumberId, cache);
    if (number?.phoneNumberId !== e.phoneNumberId) return null;
    if (e.kind === "status") {
      if (e.tag) return null;
      statuses.push({ wamid: e.wamid, status: e.status, occurredAt: e.occurredAt, error: e.error });
      continue;
    }
    const { contact, message } = e;
    if (message.type !== "text" || message.timestamp < number.onboardedAt || !contact.waId || contact.userId) return null;
    texts.push({ contact: { ...contact, waId: contact.waId }, message });
  }
  return number ? { number, texts, statuses } : null;
}

type LiveGroup = {
  number: NumberRow;
  texts: CustomerText[];
  statuses: StatusUpdate[];
  events: { id: number; wamids: string[] }[];
};

/**
 * The fast path of live traffic: events made only of plain live customer texts and statuses are
 * applied together, a few statements per number (recordCustomerTexts, applyStatuses). Returns the
 * ids of the events applied; the others (anything else, a text already seen, a group whose
 * statements fail) take the item-by-item path. Skipped when the batch changes a number
 * (account_update), whose state the texts depend on.
 */
export async function applyLiveItems(tx: { db: Database; sql: TxSql }, parsed: LiveCandidate[], cache: NumberCache) {
  const applied = new Set<number>();
  const changesNumbers = parsed.some((p) => p.items.some((i) => "event" in i && i.event.kind === "account_update"));
  if (changesNumbers) return applied;
  const groups = new Map<string, LiveGroup>();
  for (const p of parsed) {
    const found = await liveItemsOf(tx.db, p, cache);
    if (!found) continue;
    const group = groups.get(found.number.id) ?? { number: found.number, texts: [], statuses: [], events: [] };
    group.texts.push(...found.texts);
    group.statuses.push(...found.statuses);
    group.events.push({ id: p.event.id, wamids: found.texts.map((t) => t.message.id) });
    groups.set(found.number.id, group);
  }
  for (const group of groups.values()) {
    try {
      const { skipped } = await withSavepoint(tx, async (sp) => {
        if (group.statuses.length) await applyStatuses(sp.db, { numberId: group.number.id, statuses: group.statuses });
        return group.texts.length ? recordCustomerTexts(sp.db, group) : { skipped: new Set<string>() };
      });
      for (const e of group.events) if (!e.wamids.some((w) => skipped.has(w))) applied.add(e.id);
    } catch {
      // Rolled back to the savepoint: the item-by-item path applies these events and names failures.
    }
  }
  return applied;
}
