import type { InfiniteData } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { CONVERSATION_PAGE_SIZE, type ConversationFilters } from "./queries";
import { patchList, patchThread } from "./realtime-patches";
import type { ConversationDto, ConversationPage, MessageDto, MessagePage } from "./types";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString();
const message = (id: string, minute: number, body = id) => ({ id, sentAt: at(minute), body }) as unknown as MessageDto;
const thread = (...pages: MessageDto[][]): InfiniteData<MessagePage> => ({
  pages: pages.map((messages, i) => ({ messages, nextCursor: i < pages.length - 1 ? "more" : null })),
  pageParams: pages.map((_, i) => (i === 0 ? null : `p${i}`)),
});
const conversation = (id: string, minute: number, patch: Partial<ConversationDto> = {}) =>
  ({ id, numberId: "n1", status: "open", assigneeId: null, lastMessageAt: at(minute), ...patch }) as unknown as ConversationDto;
const list = (pages: ConversationDto[][], hasMore = false): InfiniteData<ConversationPage> => ({
  pages: pages.map((conversations, i) => ({ conversations, nextCursor: hasMore || i < pages.length - 1 ? "more" : null })),
  pageParams: pages.map((_, i) => (i === 0 ? null : `p${i}`)),
});
const all: ConversationFilters = { numberId: null, view: "all", status: null, search: "" };
const idsOf = (patch: ReturnType<typeof patchList>) =>
  patch.kind === "set" ? patch.data.pages.map((p) => p.conversations.map((c) => c.id)) : patch.kind;

describe("patching a thread from a notice", () => {
  it("a new message goes on top of the newest page", () => {
    const patch = patchThread(thread([message("b", 2), message("a", 1)]), message("c", 3));
    expect(patch.kind === "set" && patch.data.pages[0]!.messages.map((m) => m.id)).toEqual(["c", "b", "a"]);
  });

  it("a changed message (a tick, an edit) is replaced where it is, on any page", () => {
    const patch = patchThread(thread([message("b", 2)], [message("a", 1)]), message("a", 1, "edited"));
    expect(patch.kind === "set" && patch.data.pages[1]!.messages[0]!.body).toBe("edited");
    expect(patch.kind === "set" && patch.data.pages[0]!.messages.map((m) => m.id)).toEqual(["b"]);
  });

  it("a new message older than the newest drawn one takes its place in the server's order, without a refetch", () => {
    const patch = patchThread(thread([message("c", 3), message("a", 1)]), message("b", 2));
    expect(patch.kind === "set" && patch.data.pages[0]!.messages.map((m) => m.id)).toEqual(["c", "b", "a"]);
  });

  it("messages of one second (WhatsApp's timestamps have whole seconds) are told apart by id, as the server does", () => {
    const ids = ["0a", "0f", "05"].map((p) => `${p}000000-0000-4000-8000-000000000000`);
    const [a, f, five] = ids.map((id) => message(id, 2)) as [MessageDto, MessageDto, MessageDto];
    const patch = patchThread(thread([f, a]), five);
    expect(patch.kind === "set" && patch.data.pages[0]!.messages.map((m) => m.id)).toEqual([f.id, a.id, five.id]);
  });

  it("a new message older than every loaded one, with older pages still to load, is left to those pages", () => {
    const more = thread([message("c", 3)], [message("b", 2)]);
    more.pages[1]!.nextCursor = "older";
    expect(patchThread(more, message("a", 1)).kind).toBe("keep");
    // The whole thread loaded: it goes at the bottom.
    const whole = patchThread(thread([message("c", 3)]), message("a", 1));
    expect(whole.kind === "set" && whole.data.pages[0]!.messages.map((m) => m.id)).toEqual(["c", "a"]);
  });

  it("a thread that was never loaded is left alone", () => {
    expect(patchThread(undefined, message("a", 1)).kind).toBe("keep");
  });
});

describe("patching a conversation list from a notice", () => {
  it("a conversation with a new message moves to the top", () => {
    const patch = patchList(list([[conversation("b", 2), conversation("a", 1)]]), conversation("a", 3), all, "me");
    expect(idsOf(patch)).toEqual([["a", "b"]]);
  });

  it("a new conversation is added at its place", () => {
    const patch = patchList(list([[conversation("c", 3), conversation("a", 1)]]), conversation("b", 2), all, "me");
    expect(idsOf(patch)).toEqual([["c", "b", "a"]]);
  });

  it("a conversation that no longer matches the filters leaves the list", () => {
    const resolved = { ...all, status: "resolved" as const };
    const data = list([[conversation("b", 2, { status: "resolved" }), conversation("a", 1, { status: "resolved" })]]);
    expect(idsOf(patchList(data, conversation("b", 3, { status: "open" }), resolved, "me"))).toEqual([["a"]]);
  });

  it("views follow the assignee: mine shows the user's, unassigned shows nobody's", () => {
    const data = list([[conversation("a", 1)]]);
    expect(idsOf(patchList(data, conversation("b", 2, { assigneeId: "me" }), { ...all, view: "mine" }, "me"))).toEqual([
      ["b", "a"],
    ]);
    expect(patchList(list([[]]), conversation("b", 2, { assigneeId: "other" }), { ...all, view: "mine" }, "me").kind).toBe(
      "keep",
    );
    expect(idsOf(patchList(data, conversation("a", 3, { assigneeId: "other" }), { ...all, view: "unassigned" }, "me"))).toEqual([
      [],
    ]);
  });

  it("a conversation older than every loaded row, with more pages to load, is left to those pages", () => {
    const data = list([[conversation("c", 3), conversation("b", 2)]], true);
    expect(patchList(data, conversation("a", 1), all, "me").kind).toBe("keep");
  });

  it("a label's list keeps what carries the label and lets go of what lost it; a snoozed one leaves Open", () => {
    const filters: ConversationFilters = { ...all, labelId: "vip" };
    const loaded = list([[conversation("b", 2, { labelIds: ["vip"] }), conversation("a", 1, { labelIds: ["vip"] })]]);
    expect(idsOf(patchList(loaded, conversation("a", 1, { labelIds: [] }), filters, "u1"))).toEqual([["b"]]);
    expect(idsOf(patchList(loaded, conversation("c", 3, { labelIds: ["vip", "x"] }), filters, "u1"))).toEqual([["c", "b", "a"]]);
    const open = list([[conversation("b", 2, { labelIds: [] })]]);
    const snoozed = conversation("b", 2, { status: "snoozed", labelIds: [] });
    expect(idsOf(patchList(open, snoozed, { ...all, status: "open" }, "u1"))).toEqual([[]]);
  });

  it("a stream of new conversations keeps the list to what its pages hold; the next page starts after the new last row", () => {
    const full = Array.from({ length: CONVERSATION_PAGE_SIZE }, (_, i) => conversation(`r${i}`, 50 - i));
    for (const hasMore of [true, false]) {
      let data = list([full], hasMore);
      for (let i = 0; i < 5; i++) {
        const patch = patchList(data, conversation(`new${i}`, 51 + i), all, "me");
        if (patch.kind !== "set") throw new Error(`expected a patch, got ${patch.kind}`);
        data = patch.data;
      }
      const rows = data.pages[0]!.conversations;
      expect(rows).toHaveLength(CONVERSATION_PAGE_SIZE);
      expect(rows.slice(0, 6).map((c) => c.id)).toEqual(["new4", "new3", "new2", "new1", "new0", "r0"]);
      const last = rows.at(-1)!;
      expect(data.pages[0]!.nextCursor).toBe(`${last.lastMessageAt}|${last.id}`);
    }
    // A list that is not full yet takes new rows as they come.
    expect(idsOf(patchList(list([[conversation("a", 1)]]), conversation("b", 2), all, "me"))).toEqual([["b", "a"]]);
  });

  it("a searched list refetches, since only the server can match a search", () => {
    expect(patchList(list([[conversation("a", 1)]]), conversation("a", 2), { ...all, search: "blue" }, "me").kind).toBe(
      "refetch",
    );
  });

  it("another number's list is not touched", () => {
    const data = list([[conversation("a", 1)]]);
    expect(patchList(data, conversation("x", 2, { numberId: "n2" }), { ...all, numberId: "n1" }, "me").kind).toBe("keep");
  });
});
