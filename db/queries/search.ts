import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { HIGHLIGHT_END, HIGHLIGHT_START } from "@/lib/client/search";
import type { Executor } from "../client";
import { contacts, conversations, type messageDirection, messages } from "../schema";

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

/** The message's current text matches (deleted messages are not in the text index: never found). */
export function matchesText(terms: SearchTerms): SQL {
  return sql`${messages.deletedAt} is null and ${messageSearchVector} @@ websearch_to_tsquery('simple', ${terms.text})`;
}

/**
 * Ids of the conversations on these numbers whose contact's name (any source) or number matches,
 * or that hold one of `textHits` (a relation of matching messages with their `conversation_id`).
 */
export function searchConversationIds(params: { numberIds: string[]; terms: SearchTerms; textHits: SQL }): SQL {
  const { byName, byNumber } = contactMatches(params.terms);
  // Matching contacts first, then each one's conversation by (number, contact): PostgreSQL cannot
  // tell how few contacts a name or number prefix finds, and otherwise hashes every conversation of
  // the number to join them (the lateral fence keeps the per-contact lookup).
  return sql`(
    select conversation.id from ${contacts}
      cross join lateral (select ${conversations.id} from ${conversations}
        where ${conversations.numberId} = ${contacts.numberId} and ${conversations.contactId} = ${contacts.id} offset 0) conversation
      where ${contacts.numberId} = any(${sql.param(params.numberIds)}::uuid[]) and (${byName} or ${byNumber})
    union
    select conversation_id from ${params.textHits}
  )`;
}

function contactMatches({ words, digits }: SearchTerms) {
  const byName = words.length
    ? sql`${contactSearchVector} @@ to_tsquery('simple', ${words.map((w) => `${w}:*`).join(" & ")})`
    : sql`false`;
  // A range on the prefix index rather than `like`: a cached plan can use it whatever the digits
  // (':' sorts right after '9'; WhatsApp ids are digits).
  const byNumber = digits ? sql`(${contacts.waId} ~>=~ ${digits} and ${contacts.waId} ~<~ ${`${digits}:`})` : sql`false`;
  return { byName, byNumber };
}

/** The contact's name (any source) or number matches. */
export function matchesContact(terms: SearchTerms): SQL {
  const { byName, byNumber } = contactMatches(terms);
  return sql`(${byName} or ${byNumber})`;
}

/**
 * For a lateral join: the conversation's newest current message whose text matches. The text check
 * is a subquery, so PostgreSQL can use neither the text index for it (for a common word it would
 * fetch a large part of all messages) nor an estimate of how rarely it holds: it walks the thread
 * index newest first and stops at the first match, within a few rows for a common word. A message
 * without the typed word in its lowercased text is passed over before its text is parsed.
 */
export function newestMatchingMessage(conversationId: SQL | AnyPgColumn, terms: SearchTerms): SQL {
  const text = sql`coalesce(${messages.editedBody}, ${messages.body}, '')`;
  return sql`(
    select ${messages.id} as id, ${messages.sentAt} as sent_at, ${messages.direction} as direction, ${text} as text
    from ${messages}
    where ${messages.conversationId} = ${conversationId} and ${messages.deletedAt} is null
      and ${holdsRequiredWord(text, terms)}
      and (select ${messageSearchVector} @@ websearch_to_tsquery('simple', ${terms.text}))
    order by ${messages.sentAt} desc, ${messages.id} desc
    limit 1
  )`;
}

/**
 * A substring test that the text check implies, far cheaper than parsing the text: when a query
 * requires each of its words (ASCII letters and digits, spaces, quotes; no "or", no "-"), a
 * matching message's lowercased text holds each of the query's lexemes, the longest tested here. A
 * message's lexemes are pieces of its text lowercased character by character, as lower() does with
 * the libc provider only (ICU lowercases in context): with another provider the test is left out.
 */
function holdsRequiredWord(text: SQL, terms: SearchTerms): SQL {
  if (!/^[A-Za-z0-9\s"]*$/.test(terms.text)) return sql`true`;
  if ((terms.text.match(/[A-Za-z0-9]+/g) ?? []).some((w) => w.toLowerCase() === "or")) return sql`true`;
  // An init plan, read once per statement; the lexemes are PostgreSQL's own ("1E10abc" is two). An
  // empty needle is found in any text.
  return sql`strpos(lower(${text}), (select case when coalesce(to_jsonb(d) ->> 'datlocprovider', 'c') = 'c'
      then coalesce((select lexeme from unnest(tsvector_to_array(to_tsvector('simple', ${terms.text}))) lexeme
        order by length(lexeme) desc limit 1), '')
      else '' end
    from pg_database d where d.datname = current_database())) > 0`;
}

/** Up to this many characters, a matching message is quoted whole (it fits a list row). */
const WHOLE_SNIPPET_CHARS = 60;

/**
 * A matching message's text with the matching words marked, for the list row: a short message
 * whole, a longer one as the words around its first match (so the match is in view), with "…"
 * where the text was cut. A fragment is a piece of the text as written, so its cuts are found by
 * comparing it, unmarked, with the text's start and end.
 */
export function highlighted(text: SQL, terms: SearchTerms): SQL<string> {
  const query = sql`websearch_to_tsquery('simple', ${terms.text})`;
  const marks = `StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_END}`;
  return sql<string>`case when char_length(${text}) <= ${WHOLE_SNIPPET_CHARS}
    then ts_headline('simple', ${text}, ${query}, ${`${marks}, HighlightAll=true`})
    else (select case when starts_with(${text}, f.plain) then '' else '… ' end || f.marked
        || case when right(${text}, char_length(f.plain)) = f.plain then '' else ' …' end
      from (select marked, replace(replace(marked, ${HIGHLIGHT_START}, ''), ${HIGHLIGHT_END}, '') as plain
        from ts_headline('simple', ${text}, ${query}, ${`${marks}, MaxWords=16, MinWords=6, MaxFragments=1`}) as marked) f)
    end`;
}

// The statistics change only when ANALYZE runs: one read a minute serves every search meanwhile.
const STATS_MAX_AGE_MS = 60_000;
let lexemeShares: { readAt: number; share: Map<string, number> } | null = null;

/**
 * The share of messages that contain the rarest of the typed words, from the statistics ANALYZE
 * keeps on the text index (its most common lexemes); 0 when every word is rare.
 */
export async function estimateTextMatchShare(db: Executor, terms: SearchTerms) {
  if (terms.words.length === 0) return 0;
  if (!lexemeShares || Date.now() - lexemeShares.readAt > STATS_MAX_AGE_MS) {
    const [stats] = await db.execute<{ elems: string[] | null; freqs: number[] | null }>(sql`
      select most_common_elems::text::text[] as elems, most_common_elem_freqs as freqs
      from pg_stats where tablename = 'messages_text_search_idx'`);
    const elems = stats?.elems ?? [];
    lexemeShares = { readAt: Date.now(), share: new Map(elems.map((e, i) => [e, stats!.freqs![i]!])) };
  }
  const { share } = lexemeShares;
  return Math.min(...terms.words.map((w) => share.get(w.toLowerCase()) ?? 0));
}

/** The newest message of a conversation whose text matched, with the matching words marked. */
export type SearchMatch = { messageId: string; sentAt: Date; snippet: string; direction: MessageDirection };

export type MessageDirection = (typeof messageDirection.enumValues)[number];
