import { and, asc, eq, ilike, inArray, or, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { contacts, conversations } from "../schema";
import { displayName } from "./conversations";

/**
 * Contacts of the given numbers, by name or number, with their conversation when one exists:
 * customers known only from the phone's address book have none yet.
 */
export async function listContacts(db: Executor, params: { numberIds: string[]; search: string; limit: number }) {
  if (params.numberIds.length === 0) return [];
  const where: (SQL | undefined)[] = [inArray(contacts.numberId, params.numberIds)];
  const term = params.search.trim();
  if (term) {
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const digits = term.replace(/\D/g, "");
    where.push(or(ilike(displayName, like), digits ? ilike(contacts.waId, `%${digits}%`) : undefined));
  }
  return db
    .select({
      id: contacts.id,
      numberId: contacts.numberId,
      displayName,
      waId: contacts.waId,
      userId: contacts.userId,
      conversationId: conversations.id,
    })
    .from(contacts)
    .leftJoin(conversations, and(eq(conversations.contactId, contacts.id), eq(conversations.numberId, contacts.numberId)))
    .where(and(...where))
    .orderBy(asc(sql`lower(${displayName})`), asc(contacts.id))
    .limit(params.limit);
}
