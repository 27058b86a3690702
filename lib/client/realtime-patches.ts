import type { InfiniteData } from "@tanstack/react-query";
import type { ConversationFilters } from "./queries";
import type { ConversationDto, ConversationPage, MessageDto, MessagePage } from "./types";

/** What a notice does to one cached query: a new value, nothing, or a refetch. */
export type Patch<T> = { kind: "set"; data: T } | { kind: "keep" } | { kind: "refetch" };

const newerFirst = (a: { at: string | null; id: string }, b: { at: string | null; id: string }) =>
  (b.at ?? "").localeCompare(a.at ?? "") || b.id.localeCompare(a.id);

/**
 * Draws a message from a notice into a loaded thread (pages newest first): replaces it where it
 * is, or puts a new one on top. A new message older than the newest loaded one arrived out of
 * order: its place is the server's to say, so the thread refetches.
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
  const [first, ...rest] = pages;
  const newest = first?.messages[0];
  if (!first || (newest && newerFirst({ at: message.sentAt, id: message.id }, { at: newest.sentAt, id: newest.id }) > 0)) {
    return { kind: "refetch" };
  }
  return { kind: "set", data: { ...data, pages: [{ ...first, messages: [message, ...first.messages] }, ...rest] } };
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
      return { kind: "set", data: { ...data, pages: pages.map((p) => (p === page ? { ...p, conversations } : p)) } };
    }
  }
  return { kind: "refetch" };
}
