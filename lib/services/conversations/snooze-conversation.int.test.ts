import { sql as dsql, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { conversations } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createAgent, createConversation, createNumber, ctxAs } from "@/db/testing/factories";
import { listConversationsForUser } from "./list-conversations";
import { updateConversation } from "./update-conversation";
import { wakeConversation } from "./wake-conversation";

const { db, sql } = connectTestDatabase();
const system = { db, actor: { kind: "system", name: "test" } } as const;
const inAnHour = () => new Date(Date.now() + 3600_000);

async function setup() {
  const number = await createNumber(db);
  const agent = ctxAs(db, await createAgent(db, [number.id]));
  const conversation = await createConversation(db, { numberId: number.id });
  const listed = async (status: "open" | "snoozed") =>
    (
      await listConversationsForUser({ ctx: agent, input: { numberId: number.id, view: "all", status, limit: 50 } })
    ).conversations.map((c) => c.id);
  return { number, agent, conversation, listed };
}

/** Notices announced on the change channel while `act` runs. */
async function noticesDuring(act: () => Promise<unknown>) {
  const seen: { type: string; conversationId?: string }[] = [];
  const listener = await sql.listen("tandem_changes", (payload) => seen.push(JSON.parse(payload)));
  await act();
  await new Promise((resolve) => setTimeout(resolve, 200));
  await listener.unlisten();
  return seen;
}

describe("snooze", () => {
  it("a snoozed conversation leaves the open list for the snoozed one, with a wake-up job at its time", async () => {
    const { agent, conversation, listed } = await setup();
    const until = inAnHour();
    const updated = await updateConversation({
      ctx: agent,
      input: { conversationId: conversation.id, status: "snoozed", snoozedUntil: until },
    });
    expect(updated.status).toBe("snoozed");
    expect(updated.snoozedUntil?.getTime()).toBe(until.getTime());
    expect(await listed("snoozed")).toContain(conversation.id);
    expect(await listed("open")).not.toContain(conversation.id);
    const jobs = await db.execute<{ run_at: string }>(
      dsql`select run_at from graphile_worker.jobs where task_identifier = 'wake-conversation' and key = ${`wake:${conversation.id}`}`,
    );
    expect(jobs.map((j) => new Date(j.run_at).getTime())).toEqual([until.getTime()]);
  });

  it("a due snooze wakes: back to open and announced; one not yet due stays asleep", async () => {
    const { number, conversation, listed } = await setup();
    await db
      .update(conversations)
      .set({ status: "snoozed", snoozedUntil: inAnHour() })
      .where(eq(conversations.id, conversation.id));
    await wakeConversation({ ctx: system, input: { conversationId: conversation.id } });
    expect(await listed("snoozed")).toContain(conversation.id);

    await db
      .update(conversations)
      .set({ snoozedUntil: new Date(Date.now() - 1000) })
      .where(eq(conversations.id, conversation.id));
    const notices = await noticesDuring(() => wakeConversation({ ctx: system, input: { conversationId: conversation.id } }));
    expect(await listed("open")).toContain(conversation.id);
    expect(notices).toContainEqual({ type: "conversation", numberId: number.id, conversationId: conversation.id });
    const [row] = await db.select().from(conversations).where(eq(conversations.id, conversation.id));
    expect(row!.snoozedUntil).toBeNull();
  });

  it("a wake-up after the agent moved the conversation on changes nothing", async () => {
    const { agent, conversation } = await setup();
    await updateConversation({
      ctx: agent,
      input: { conversationId: conversation.id, status: "snoozed", snoozedUntil: inAnHour() },
    });
    await updateConversation({ ctx: agent, input: { conversationId: conversation.id, status: "resolved" } });
    await wakeConversation({ ctx: system, input: { conversationId: conversation.id } });
    const [row] = await db.select().from(conversations).where(eq(conversations.id, conversation.id));
    expect(row).toMatchObject({ status: "resolved", snoozedUntil: null });
  });

  it("refuses a snooze without a future time, and a time without the snoozed status", async () => {
    const { agent, conversation } = await setup();
    const attempt = (input: { status?: "snoozed" | "open"; snoozedUntil?: Date }) =>
      updateConversation({ ctx: agent, input: { conversationId: conversation.id, ...input } });
    await expect(attempt({ status: "snoozed" })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(attempt({ status: "snoozed", snoozedUntil: new Date(Date.now() - 60_000) })).rejects.toMatchObject({
      code: "VALIDATION",
    });
    await expect(attempt({ status: "open", snoozedUntil: inAnHour() })).rejects.toMatchObject({ code: "VALIDATION" });
  });
});
