import { describe, expect, it } from "vitest";
import {
  describeDisconnection,
  describeHistory,
  describeNumberNotice,
  describeWindow,
  explainSendError,
  formatAgo,
  formatDayLabel,
  formatDuration,
  formatListTime,
  textDirection,
} from "./format";

const HOUR = 3_600_000;
const now = new Date(2025, 2, 12, 15, 30);
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const inFuture = (ms: number) => new Date(now.getTime() + ms).toISOString();

describe("describeWindow", () => {
  it("shows the window closed in its last two minutes, when the server refuses free text", () => {
    const state = describeWindow({ windowExpiresAt: inFuture(90_000), lastCustomerMessageAt: ago(24 * HOUR - 90_000) }, now);
    expect(state).toMatchObject({ isOpen: false, chip: "Window closing" });
  });

  it("says WhatsApp closed the window after a 131047", () => {
    const closedAt = ago(60_000);
    const state = describeWindow(
      { windowExpiresAt: closedAt, windowClosedAt: closedAt, lastCustomerMessageAt: ago(3 * HOUR) },
      now,
    );
    expect(state).toMatchObject({ isOpen: false, reason: expect.stringContaining("131047") });
  });

  it("counts down an open window in hours and minutes", () => {
    const state = describeWindow({ windowExpiresAt: inFuture(23 * HOUR + 12 * 60_000), lastCustomerMessageAt: ago(HOUR) }, now);
    expect(state).toMatchObject({ isOpen: true, tone: "open", chip: "23h left", summary: "Window open · closes in 23 h 12 min" });
  });

  it("warns when less than two hours are left", () => {
    const state = describeWindow({ windowExpiresAt: inFuture(45 * 60_000), lastCustomerMessageAt: ago(23 * HOUR) }, now);
    expect(state).toMatchObject({ isOpen: true, tone: "closing", chip: "45m left" });
  });

  it("says how long ago the customer last wrote once the window closed", () => {
    const state = describeWindow({ windowExpiresAt: ago(7 * HOUR), lastCustomerMessageAt: ago(31 * HOUR) }, now);
    expect(state).toMatchObject({ isOpen: false, chip: "Window closed" });
    expect(state.summary).toBe("Window closed: the customer last wrote 31 h ago");
  });

  it("explains a window that never opened since the number was connected", () => {
    const state = describeWindow({ windowExpiresAt: null, lastCustomerMessageAt: null }, now);
    expect(state.summary).toBe("Window closed: the customer has not written since this number was connected");
  });
});

describe("time labels", () => {
  it("labels days relative to today", () => {
    expect(formatDayLabel(new Date(2025, 2, 12, 0, 5).toISOString(), now)).toBe("Today");
    expect(formatDayLabel(new Date(2025, 2, 11, 23, 55).toISOString(), now)).toBe("Yesterday");
  });

  it("shows recent list times in minutes and older ones as days", () => {
    expect(formatListTime(ago(20_000), now)).toBe("now");
    expect(formatListTime(ago(12 * 60_000), now)).toBe("12 min");
    expect(formatListTime(new Date(2025, 2, 11, 9, 0).toISOString(), now)).toBe("Yesterday");
  });

  it("formats durations and ages coarsely", () => {
    expect(formatDuration(30_000)).toBe("less than a minute");
    expect(formatDuration(2 * HOUR)).toBe("2 h");
    expect(formatAgo(72 * HOUR)).toBe("3 days");
  });
});

describe("explainSendError", () => {
  it("tells the agent to use a template after error 131047", () => {
    expect(explainSendError({ code: 131047, title: "Re-engagement message" }).sentence).toBe("Window closed: send a template.");
  });

  it("falls back to Meta's own title and details for unknown codes", () => {
    expect(explainSendError({ code: 1, title: "x", details: "Something specific" })).toEqual({
      sentence: "x",
      action: "Something specific",
    });
  });
});

describe("describeNumberNotice", () => {
  const base = { stateChangedAt: null, disconnectionReason: null, disconnectionInitiatedBy: null };

  it("says nothing for a connected number", () => {
    expect(describeNumberNotice({ ...base, state: "connected" })).toBeNull();
  });

  it("explains a disconnection with Meta's reason and initiator in plain words", () => {
    const notice = describeNumberNotice({
      ...base,
      state: "disconnected",
      disconnectionReason: "PRIMARY_INACTIVITY",
      disconnectionInitiatedBy: "SYSTEM",
    });
    expect(notice).toMatchObject({ tone: "blocked", canSend: false });
    expect(notice?.text).toMatch(
      /^Disconnected from the WhatsApp Business app \(the phone was inactive for about 14 days, by WhatsApp\)\. This number is read-only\.$/,
    );
  });

  it("keeps the composer of a restricted number and pauses an offboarded one", () => {
    expect(describeNumberNotice({ ...base, state: "restricted" })).toMatchObject({ tone: "warning", canSend: true });
    expect(describeNumberNotice({ ...base, state: "offboarded" })).toMatchObject({ tone: "warning", canSend: false });
    expect(describeNumberNotice({ ...base, state: "uninstalled" })?.text).toBe(
      "The business removed Tandem's access. This number is read-only.",
    );
  });

  it("falls back to Meta's words for a reason it does not know", () => {
    expect(describeDisconnection("SOMETHING_NEW", "USER")).toBe("something new, by the business");
  });
});

describe("describeHistory", () => {
  const history = {
    state: "receiving" as const,
    maxProgress: 55.4,
    phasesSeen: [0],
    chunksReceived: 3,
    messagesImported: 1234,
    conversationsImported: 56,
    error: null,
    lastEventAt: ago(60_000),
  };

  it("shows progress and counts while importing", () => {
    expect(describeHistory(history, now)?.text).toBe("History: importing 55% · 1,234 messages");
  });

  it("says when an import has gone quiet", () => {
    expect(describeHistory({ ...history, lastEventAt: ago(5 * HOUR) }, now)).toMatchObject({ tone: "bad" });
  });

  it("goes stale after the configured quiet time, a request that never heard back too", () => {
    const requested = { ...history, state: "requested" as const, lastEventAt: ago(20 * 60_000) };
    expect(describeHistory(requested, now, 30 * 60_000)).toMatchObject({ tone: "busy" });
    expect(describeHistory(requested, now, 10 * 60_000)).toMatchObject({
      tone: "bad",
      text: "History: requested, nothing for 20 min",
    });
  });

  it("summarises the end states", () => {
    expect(describeHistory({ ...history, state: "complete" }, now)?.text).toBe(
      "History imported · 1,234 messages in 56 conversations, in Resolved",
    );
    expect(describeHistory({ ...history, state: "declined" }, now)?.text).toBe("History not shared by the business");
    expect(describeHistory({ ...history, state: "failed", error: { code: 2593108 } }, now)?.text).toBe(
      "History sync failed (code 2593108)",
    );
    expect(describeHistory(null, now)).toBeNull();
  });
});

describe("textDirection", () => {
  it("reads the direction from the first letter, past digits, punctuation and marks", () => {
    expect(textDirection("أين طلبي الخزفي؟")).toBe("rtl");
    expect(textDirection("שלום, מה שלומך")).toBe("rtl");
    expect(textDirection("… 12 \uE000طلبي\uE001 order")).toBe("rtl");
    expect(textDirection("Order 12: أين طلبي")).toBe("ltr");
    expect(textDirection("¿Dónde está?")).toBe("ltr");
    expect(textDirection("12 34 !")).toBe("ltr");
  });
});
