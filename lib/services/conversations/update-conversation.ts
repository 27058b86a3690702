import { and, eq, inArray } from "drizzle-orm";
import type { ConversationStatus } from "@/db/queries/conversations";
import { conversationLabels, conversations, labels, users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { notifyChange } from "@/lib/realtime/notify";
import type { Ctx, UserActor } from "../context";
import { assertCanAccessNumber } from "../numbers/access";
import { getConversation } from "./get-conversation";

const MAX_SNOOZE_MS = 366 * 24 * 3600_000;

/**
 * Sets a conversation's status, assignee (an active user who can see its number, or nobody) and/or
 * labels (the whole set). Snoozing needs a time in the future; a job scheduled for then wakes it.
 */
export async function updateConversation({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor };
  input: {
    conversationId: string;
    status?: ConversationStatus;
    snoozedUntil?: Date;
    assigneeId?: string | null;
    labelIds?: string[];
  };
}) {
  const conversation = await getConversation({ ctx, input });
  if (input.status === "snoozed") {
    const ms = (input.snoozedUntil?.getTime() ?? 0) - Date.now();
    if (ms <= 0) throw new AppError("VALIDATION", "Snooze until a time in the future.");
    if (ms > MAX_SNOOZE_MS) throw new AppError("VALIDATION", "Snooze for a year at most.");
  } else if (input.snoozedUntil) {
    throw new AppError("VALIDATION", "A snooze time goes with the status snoozed.");
  }
  if (input.assigneeId) {
    const [assignee] = await ctx.db
      .select()
      .from(users)
      .where(and(eq(users.id, input.assigneeId), eq(users.isActive, true)));
    if (!assignee) throw new AppError("VALIDATION", "The assignee is not an active user.");
    await assertCanAccessNumber(
      { ...ctx, actor: { kind: "user", userId: assignee.id, role: assignee.role, name: assignee.name } },
      conversation.numberId,
    ).catch(() => {
      throw new AppError("VALIDATION", `${assignee.name} cannot see this number.`);
    });
  }
  const labelIds = input.labelIds && [...new Set(input.labelIds)];
  if (labelIds?.length) {
    const known = await ctx.db.select({ id: labels.id }).from(labels).where(inArray(labels.id, labelIds));
    if (known.length !== labelIds.length) throw new AppError("VALIDATION", "A label does not exist (any more).");
  }
  await ctx.db.transaction(async (tx) => {
    const changes = {
      ...(input.status ? { status: input.status, snoozedUntil: input.snoozedUntil ?? null } : {}),
      ...(input.assigneeId !== undefined ? { assigneeId: input.assigneeId } : {}),
    };
    if (Object.keys(changes).length) await tx.update(conversations).set(changes).where(eq(conversations.id, conversation.id));
    if (input.status === "snoozed") {
      // One pending wake per conversation: snoozing again moves it.
      await enqueueJob(
        tx,
        "wake-conversation",
        { conversationId: conversation.id },
        { jobKey: `wake:${conversation.id}`, runAt: input.snoozedUntil },
      );
    }
    if (labelIds) {
      // The conversation first, as a message arriving locks it before its label rows (their list
      // order follows it, migration 0019): the other order could deadlock with it.
      await tx
        .select({ id: conversations.id })
        .from(conversations)
        .where(eq(conversations.id, conversation.id))
        .for("no key update");
      await tx.delete(conversationLabels).where(eq(conversationLabels.conversationId, conversation.id));
      if (labelIds.length) {
        await tx
          .insert(conversationLabels)
          .values(labelIds.map((labelId) => ({ conversationId: conversation.id, labelId, numberId: conversation.numberId })));
      }
    }
    await notifyChange(tx, { type: "conversation", numberId: conversation.numberId, conversationId: conversation.id });
    if (input.assigneeId && input.assigneeId !== conversation.assigneeId) {
      await notifyChange(tx, {
        type: "activity",
        numberId: conversation.numberId,
        conversationId: conversation.id,
        kind: "assigned",
        assigneeId: input.assigneeId,
        actorId: ctx.actor.userId,
      });
    }
  });
  return getConversation({ ctx, input });
}
