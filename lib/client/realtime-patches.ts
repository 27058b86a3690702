import type { InfiniteData } from "@tanstack/react-query";
import { CONVERSATION_PAGE_SIZE, type ConversationFilters } from "./queries";
import type { ConversationDto, ConversationPage, MessageDto, MessagePage } from "./types";

/** What a notice does to one cached query: a new value, nothing, or a refetch. */
export type Patch<T> = { kind: "set"; data: T } | { kind: "keep" } | { kind: "refetch" };

const newerFirst = (a: { at: string | null; id: string }, b: { at: string | null; id: string }) =>
  (b.at ?? "").localeCompare(a.at ?? "") || b.id.localeCompare(a.id);

/**
 * Draws a message from a notice into a loaded thread (pages newest first): replaces it where it
 * is, or puts a new one at its place in the server's order (time, then id: WhatsApp's timestamps
 * have whole seconds, so messages of one second are told apart by id). One older than every loaded
 * message, with older pages still to load, is left to those pages.
 */
export function patchThread(data: InfiniteData<MessagePage> | undefined, message: MessageDto): Patch<InfiniteData<MessagePage>> {
  if (!data) return { kind: "keep" };
  let found = false;
  const pages = data.pages.map((page) => ({
    ...page,
    messages: page.messages.map((m) => {
      if (m.id !== message.id) return m;
      found = true;
      return message;
    }),
  }));
  if (found) return { kind: "set", data: { ...data, pages } };
  const key = (m: MessageDto) => ({ at: m.sentAt, id: m.id });
  for (const [i, page] of pages.entries()) {
    const at = page.messages.findIndex((m) => newerFirst(key(message), key(m)) < 0);
    const isLast = i === pages.length - 1;
    if (at === -1 && !(isLast && page.nextCursor === null)) continue;
    const messages = [...page.messages];
    messages.splice(at === -1 ? messages.length : at, 0, message);
    return { kind: "set", data: { ...data, pages: pages.map((p, j) => (j === i ? { ...p, messages } : p)) } };
  }
  return { kind: "keep" };
}

/** Whether a conversation belongs in a list; null when only the server can tell (a search). */
function matches(c: ConversationDto, filters: ConversationFilters, userId: string): boolean | null {
  if (filters.search.trim()) return null;
  if (c.lastMessageAt === null) return false;
  if (filters.numberId && c.numberId !== filters.numberId) return false;
  if (filters.status && c.status !== filters.status) return false;
  if (filters.labelId && !c.labelIds.includes(filters.labelId)) return false;
  if (filters.view === "mine" && c.assigneeId !== userId) return false;
  if (filters.view === "unassigned" && c.assigneeId !== null) return false;
  return true;
}

/**
 * Applies a conversation from a notice to a loaded list (newest activity first): moves it to its
 * place, adds it, or takes it out, as the list's filters say. Searches refetch. A conversation that
 * would land below the last loaded row is left to the next page.
 */
export function patchList(
  data: InfiniteData<ConversationPage> | undefined,
  conversation: ConversationDto,
  filters: ConversationFilters,
  userId: string,
): Patch<InfiniteData<ConversationPage>> {
  if (!data) return { kind: "keep" };
  const belongs = matches(conversation, filters, userId);
  if (belongs === null) return { kind: "refetch" };
  const pages = data.pages.map((page) => ({
    ...page,
    conversations: page.conversations.filter((c) => c.id !== conversation.id),
  }));
  const removed =
    pages.reduce((n, p) => n + p.conversations.length, 0) < data.pages.reduce((n, p) => n + p.conversations.length, 0);
  if (!belongs) return removed ? { kind: "set", data: { ...data, pages } } : { kind: "keep" };

  const key = (c: ConversationDto) => ({ at: c.lastMessageAt, id: c.id });
  const lastPage = pages.at(-1);
  const last = lastPage?.conversations.at(-1);
  const isBeyondLoaded = lastPage?.nextCursor !== null && last !== undefined && newerFirst(key(conversation), key(last)) > 0;
  if (isBeyondLoaded) return removed ? { kind: "set", data: { ...data, pages } } : { kind: "keep" };
  for (const page of pages) {
    const at = page.conversations.findIndex((c) => newerFirst(key(conversation), key(c)) < 0);
    if (at !== -1 || page === lastPage) {
      const conversations = [...page.conversations];
      conversations.splice(at === -1 ? conversations.length : at, 0, conversation);
      const patched = pages.map((p) => (p === page ? { ...p, conversations } : p));
      return { kind: "set", data: { ...data, pages: removed ? patched : keepLoadedSize(patched) } };
    }
  }
  return { kind: "refetch" };
}

/**
 * A conversation that enters a list pushes its last row out once the list holds as many rows as
 * its loaded pages do, so a stream of new conversations cannot grow it without end; the last
 * page's cursor then points past its new last row (`<ISO time>|<uuid>`, the API's keyset cursor),
 * and scrolling down asks the server for the row pushed out.
 */
function keepLoadedSize(pages: ConversationPage[]): ConversationPage[] {
  const rows = pages.reduce((n, p) => n + p.conversations.length, 0);
  if (rows <= pages.length * CONVERSATION_PAGE_SIZE) return pages;
  const lastIndex = pages.findLastIndex((p) => p.conversations.length > 0);
  const trimmed = pages.map((p, i) => (i === lastIndex ? { ...p, conversations: p.conversations.slice(0, -1) } : p));
  const newLast = trimmed.flatMap((p) => p.conversations).at(-1);
  if (!newLast?.lastMessageAt) return pages;
  const last = trimmed.length - 1;
  return trimmed.map((p, i) => (i === last ? { ...p, nextCursor: `${newLast.lastMessageAt}|${newLast.id}` } : p));
}
