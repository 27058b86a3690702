import { and, eq, lte, sql } from "drizzle-orm";
import { conversations } from "@/db/schema";
import { notifyChange } from "@/lib/realtime/notify";
import type { Ctx } from "../context";

/**
 * The scheduled end of a snooze: a conversation still snoozed, and due, moves back to open and is
 * announced. A snooze that ended earlier (a customer wrote, an agent changed it) is left alone.
 */
export async function wakeConversation({ ctx, input }: { ctx: Ctx; input: { conversationId: string } }) {
  await ctx.db.transaction(async (tx) => {
    const [woken] = await tx
      .update(conversations)
      .set({ status: "open", snoozedUntil: null })
      .where(
        and(
          eq(conversations.id, input.conversationId),
          eq(conversations.status, "snoozed"),
          lte(conversations.snoozedUntil, sql`now()`),
        ),
      )
      .returning({ numberId: conversations.numberId });
    if (woken) await notifyChange(tx, { type: "conversation", numberId: woken.numberId, conversationId: input.conversationId });
  });
}
