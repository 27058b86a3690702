import type { InfiniteData } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { mergeNewestPage } from "./thread-refresh";
import type { MessageDto, MessagePage } from "./types";

const message = (n: number, body = `m${n}`) => ({ id: `m${n}`, body }) as unknown as MessageDto;
/** Messages n..m, newest first. */
const run = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => message(from - i));
const page = (messages: MessageDto[], nextCursor: string | null): MessagePage => ({ messages, nextCursor });
const ids = (data: InfiniteData<MessagePage>) => data.pages.flatMap((p) => p.messages.map((m) => m.id));

// Three loaded pages of a thread m1..m150, newest first.
const loaded: InfiniteData<MessagePage> = {
  pages: [page(run(150, 101), "c100"), page(run(100, 51), "c50"), page(run(50, 1), null)],
  pageParams: [null, "c100", "c50"],
};

describe("mergeNewestPage", () => {
  it("puts two new messages on top and keeps every page read back, once each", () => {
    const merged = mergeNewestPage(loaded, page(run(152, 103), "c102"));
    expect(ids(merged)).toEqual(run(152, 1).map((m) => m.id));
    expect(merged.pages).toHaveLength(3);
    expect(merged.pages[0]!.nextCursor).toBe("c100");
    expect(merged.pageParams).toEqual([null, "c100", "c50"]);
  });

  it("takes the fresh copy of a message it covers (an edit, a status)", () => {
    const fresh = page([message(150, "edited"), ...run(149, 101)], "c100");
    const merged = mergeNewestPage(loaded, fresh);
    expect(merged.pages[0]!.messages[0]!.body).toBe("edited");
    expect(ids(merged)).toHaveLength(150);
  });

  it("drops a message the fresh page no longer holds (deleted from the newest page)", () => {
    const fresh = page([...run(150, 141), ...run(139, 100)], "c99");
    expect(ids(mergeNewestPage(loaded, fresh))).not.toContain("m140");
  });

  it("starts again from the fresh page when more new messages came than a page holds", () => {
    const merged = mergeNewestPage(loaded, page(run(260, 211), "c210"));
    expect(merged).toEqual({ pages: [page(run(260, 211), "c210")], pageParams: [null] });
  });

  it("takes the fresh page alone when it is the whole thread", () => {
    const whole = page(run(3, 1), null);
    expect(mergeNewestPage(loaded, whole)).toEqual({ pages: [whole], pageParams: [null] });
  });
});
