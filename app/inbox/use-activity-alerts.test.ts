import { describe, expect, it } from "vitest";
import type { ConversationDto, NotificationSettingsDto } from "@/lib/client/types";
import type { ActivityNotice } from "@/lib/realtime/events";
import { type Alert, createAlertFeed } from "./use-activity-alerts";

const settings = {
  newConversation: true,
  assignedToMe: true,
  assignedMessage: true,
  mentioned: true,
  sound: false,
  desktop: false,
} as NotificationSettingsDto;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const newConversation = (i: number): ActivityNotice => ({
  numberId: "n1",
  conversationId: `c${i}`,
  kind: "new_conversation",
  assigneeId: null,
  actorId: null,
});

/** A feed whose conversation reads answer after `latencyMs`, counting them. */
function feed(latencyMs: number) {
  const shown: Alert[] = [];
  const reads: string[] = [];
  const onActivity = createAlertFeed({
    me: "me",
    settings,
    conversation: async (id) => {
      reads.push(id);
      await sleep(latencyMs);
      return { id, contact: { displayName: `Customer ${id}` }, lastMessagePreview: `Hello from ${id}` } as ConversationDto;
    },
    mentions: async () => [],
    show: (alert) => shown.push(alert),
  });
  return { onActivity, shown, reads };
}

describe("activity alerts", () => {
  it("show a new conversation with its contact and first words", async () => {
    const { onActivity, shown } = feed(1);
    void onActivity(newConversation(1));
    await sleep(50);
    expect(shown).toEqual([
      expect.objectContaining({ conversationId: "c1", title: "New conversation", body: "Customer c1: Hello from c1" }),
    ]);
  });

  it("read a bounded number of conversations in a burst, and show the newest", async () => {
    const { onActivity, shown, reads } = feed(20);
    // 200 new conversations in a second: a busy hour, or a load test, on an open inbox.
    for (let i = 1; i <= 200; i++) {
      void onActivity(newConversation(i));
      if (i % 10 === 0) await sleep(50);
    }
    await sleep(1_500);
    // At most three alerts are on screen: reading every conversation would cost one API request per
    // notice, which under load starved the web process the webhooks are acknowledged by.
    expect(reads.length).toBeLessThanOrEqual(30);
    expect(shown.at(-1)?.conversationId).toBe("c200");
  });
});
