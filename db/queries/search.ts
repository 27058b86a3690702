import { type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { contacts, conversations, messages } from "../schema";

/** Marks around highlighted words in a snippet (private-use characters, never typed by people). */
export const HIGHLIGHT_START = "\uE000";
export const HIGHLIGHT_END = "\uE001";

// These expressions must stay identical to the GIN indexes in db/schema so PostgreSQL uses them.
const messageSearchVector = sql`to_tsvector('simple', coalesce(${messages.editedBody}, ${messages.body}, ''))`;
const contactSearchVector = sql`to_tsvector('simple', coalesce(${contacts.customName}, '') || ' ' || coalesce(case when ${contacts.addressBookRemovedAt} is null then ${contacts.addressBookName} end, '') || ' ' || coalesce(${contacts.profileName}, ''))`;

export type SearchTerms = {
  /** The words typed, letters and digits only: each matches the start of a name word. */
  words: string[];
  /** The digits of a query that looks like a phone number, matched as a prefix of the WhatsApp id. */
  digits: string | null;
  /** The query as typed, for message text (`websearch_to_tsquery`: "quoted phrases", -excluded). */
  text: string;
};

export function parseSearch(query: string): SearchTerms {
  const text = query.trim();
  const words = (text.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
  const digits = /^[+\d\s().-]+$/.test(text) ? text.replace(/\D/g, "") : "";
  return { words, digits: digits.length >= 3 ? digits : null, text };
}

/**
 * Ids of the conversations on these numbers whose contact's name (any source) or number, or whose
 * current message text, matches. Deleted messages are not in the text index: never found.
 */
export function searchConversationIds(params: { numberIds: string[]; terms: SearchTerms }): SQL {
  const { words, digits, text } = params.terms;
  const byName = words.length
    ? sql`${contactSearchVector} @@ to_tsquery('simple', ${words.map((w) => `${w}:*`).join(" & ")})`
    : sql`false`;
  const byNumber = digits ? sql`${contacts.waId} like ${`${digits}%`}` : sql`false`;
  return sql`(
    select ${conversations.id} from ${conversations}
      join ${contacts} on ${contacts.id} = ${conversations.contactId}
      where ${conversations.numberId} = any(${sql.param(params.numberIds)}::uuid[]) and (${byName} or ${byNumber})
    union
    select ${messages.conversationId} from ${messages}
      where ${messages.numberId} = any(${sql.param(params.numberIds)}::uuid[])
        and ${messages.deletedAt} is null
        and ${messageSearchVector} @@ websearch_to_tsquery('simple', ${text})
  )`;
}

export type SearchMatch = { conversationId: string; messageId: string; sentAt: Date; snippet: string };

/** The newest matching message of each conversation, with the matching words marked. */
export async function listSearchMatches(db: Executor, params: { conversationIds: string[]; terms: SearchTerms }) {
  if (params.conversationIds.length === 0) return [];
  const options = `StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_END}, MaxWords=16, MinWords=6, MaxFragments=1`;
  const rows = await db.execute<{ conversation_id: string; message_id: string; sent_at: string; snippet: string }>(sql`
    select c.id as conversation_id, hit.id as message_id, hit.sent_at,
      ts_headline('simple', hit.text, websearch_to_tsquery('simple', ${params.terms.text}), ${options}) as snippet
    from unnest(${sql.param(params.conversationIds)}::uuid[]) as c(id)
    cross join lateral (
      select ${messages.id} as id, ${messages.sentAt} as sent_at, coalesce(${messages.editedBody}, ${messages.body}, '') as text
      from ${messages}
      where ${messages.conversationId} = c.id and ${messages.deletedAt} is null
        and ${messageSearchVector} @@ websearch_to_tsquery('simple', ${params.terms.text})
      order by ${messages.sentAt} desc, ${messages.id} desc
      limit 1
    ) hit`);
  return rows.map(
    (r): SearchMatch => ({
      conversationId: r.conversation_id,
      messageId: r.message_id,
      sentAt: new Date(r.sent_at),
      snippet: r.snippet,
    }),
  );
}
