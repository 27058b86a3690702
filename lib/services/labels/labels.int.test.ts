import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { listLabels } from "@/db/queries/labels";
import { connectTestDatabase } from "@/db/testing/database";
import { createAgent, createConversation, createNumber, createUser, ctxAs } from "@/db/testing/factories";
import { getConversation } from "../conversations/get-conversation";
import { listConversationsForUser } from "../conversations/list-conversations";
import { updateConversation } from "../conversations/update-conversation";
import { createLabel, deleteLabel, updateLabel } from "./save-label";

const { db, sql } = connectTestDatabase();
const name = (prefix: string) => `${prefix} ${randomBytes(4).toString("hex")}`;

async function setup() {
  const number = await createNumber(db);
  const admin = ctxAs(db, await createUser(db, { role: "admin" }));
  const agent = ctxAs(db, await createAgent(db, [number.id]));
  const conversation = await createConversation(db, { numberId: number.id });
  return { number, admin, agent, conversation };
}

async function noticesDuring(act: () => Promise<unknown>) {
  const seen: { type: string }[] = [];
  const listener = await sql.listen("tandem_changes", (payload) => seen.push(JSON.parse(payload)));
  await act();
  await new Promise((resolve) => setTimeout(resolve, 200));
  await listener.unlisten();
  return seen;
}

describe("labels", () => {
  it("admins create, rename and delete labels, announced live; agents cannot", async () => {
    const { admin, agent } = await setup();
    await expect(createLabel({ ctx: agent, input: { name: name("VIP"), color: "violet" } })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    let label: Awaited<ReturnType<typeof createLabel>> | undefined;
    const created = await noticesDuring(async () => {
      label = await createLabel({ ctx: admin, input: { name: name("VIP"), color: "violet" } });
    });
    expect(created).toContainEqual({ type: "labels" });
    expect(await listLabels(db)).toContainEqual(label);

    await expect(updateLabel({ ctx: agent, input: { labelId: label!.id, color: "red" } })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const renamed = await updateLabel({ ctx: admin, input: { labelId: label!.id, name: name("Gold"), color: "amber" } });
    expect(renamed.color).toBe("amber");
    await expect(deleteLabel({ ctx: agent, input: { labelId: label!.id } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await deleteLabel({ ctx: admin, input: { labelId: label!.id } });
    expect((await listLabels(db)).map((l) => l.id)).not.toContain(label!.id);
  });

  it("a second label of the same name is a conflict, on create and on rename", async () => {
    const { admin } = await setup();
    const taken = name("Billing");
    await createLabel({ ctx: admin, input: { name: taken, color: "blue" } });
    await expect(createLabel({ ctx: admin, input: { name: taken, color: "red" } })).rejects.toMatchObject({ code: "CONFLICT" });
    const other = await createLabel({ ctx: admin, input: { name: name("Other"), color: "red" } });
    await expect(updateLabel({ ctx: admin, input: { labelId: other.id, name: taken } })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });

  it("an agent labels a conversation of their number; the list filters by the label; deleting it takes it off", async () => {
    const { number, admin, agent, conversation } = await setup();
    const other = await createConversation(db, { numberId: number.id });
    const vip = await createLabel({ ctx: admin, input: { name: name("VIP"), color: "violet" } });
    const refund = await createLabel({ ctx: admin, input: { name: name("Refund"), color: "red" } });

    const updated = await updateConversation({
      ctx: agent,
      input: { conversationId: conversation.id, labelIds: [vip.id, refund.id, vip.id] },
    });
    expect([...updated.labelIds].sort()).toEqual([vip.id, refund.id].sort());

    const listed = async (labelId: string) =>
      (await listConversationsForUser({ ctx: agent, input: { numberId: number.id, view: "all", labelId, limit: 50 } }))
        .conversations;
    expect((await listed(vip.id)).map((c) => c.id)).toEqual([conversation.id]);
    expect((await listed(vip.id))[0]!.labelIds).toContain(refund.id);
    expect((await listed(refund.id)).map((c) => c.id)).not.toContain(other.id);

    await updateConversation({ ctx: agent, input: { conversationId: conversation.id, labelIds: [refund.id] } });
    expect(await listed(vip.id)).toEqual([]);

    await deleteLabel({ ctx: admin, input: { labelId: refund.id } });
    expect((await getConversation({ ctx: agent, input: { conversationId: conversation.id } })).labelIds).toEqual([]);
  });

  it("nobody labels a conversation of a number they are not on, nor with a label that does not exist", async () => {
    const { admin, conversation } = await setup();
    const outsider = ctxAs(db, await createAgent(db, [(await createNumber(db)).id]));
    const label = await createLabel({ ctx: admin, input: { name: name("VIP"), color: "violet" } });
    await expect(
      updateConversation({ ctx: outsider, input: { conversationId: conversation.id, labelIds: [label.id] } }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      updateConversation({ ctx: admin, input: { conversationId: conversation.id, labelIds: [crypto.randomUUID()] } }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
  });
});
