import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invites, numberAccess, users } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createAgent, createNumber, createUser, ctxAs } from "@/db/testing/factories";
import { AppError } from "@/lib/errors";
import { acceptInvite } from "./accept-invite";
import { authenticate } from "./authenticate";
import { createInvite } from "./create-invite";
import { getInvite } from "./get-invite";
import { listTeam } from "./list-team";
import { listTeammates } from "./list-teammates";
import { revokeInvite } from "./revoke-invite";
import { changePassword, resetPassword } from "./set-password";
import { updateMember } from "./update-member";

const { db } = connectTestDatabase();
const system = { db, actor: { kind: "system" as const, name: "test" } };
const email = () => `invitee-${crypto.randomUUID()}@example.com`;
const rejectsWith = (promise: Promise<unknown>, code: string) =>
  expect(promise).rejects.toSatisfy((e) => e instanceof AppError && e.code === code);

describe("teammates an agent may see (GET /api/users)", () => {
  it("an agent sees the members of their numbers and the admins, never another number's agents", async () => {
    const [shared, other] = [await createNumber(db), await createNumber(db)];
    const agent = await createAgent(db, [shared.id], { name: "Agent A" });
    const colleague = await createAgent(db, [shared.id, other.id], { name: "Colleague" });
    const stranger = await createAgent(db, [other.id], { name: "Stranger" });
    const admin = await createUser(db, { role: "admin", name: "Admin" });
    const gone = await createAgent(db, [shared.id], { isActive: false });

    const seen = (await listTeammates({ ctx: ctxAs(db, agent) })).map((u) => u.id);
    expect(seen).toEqual(expect.arrayContaining([agent.id, colleague.id, admin.id]));
    expect(seen).not.toContain(stranger.id);
    expect(seen).not.toContain(gone.id);
  });

  it("an agent with no number sees only themselves", async () => {
    await createAgent(db, [(await createNumber(db)).id]);
    const loner = await createAgent(db, []);
    expect(await listTeammates({ ctx: ctxAs(db, loner) })).toEqual([{ id: loner.id, name: loner.name, role: "agent" }]);
  });

  it("an admin sees every active user, without emails or password hashes", async () => {
    const admin = await createUser(db);
    const agent = await createAgent(db, []);
    const list = await listTeammates({ ctx: ctxAs(db, admin) });
    expect(list.map((u) => u.id)).toEqual(expect.arrayContaining([admin.id, agent.id]));
    expect(Object.keys(list[0]!).sort()).toEqual(["id", "name", "role"]);
  });
});

describe("invitations", () => {
  it("an admin invites; the link makes one agent with the chosen numbers, once", async () => {
    const admin = await createUser(db);
    const number = await createNumber(db);
    const address = email();
    const { token } = await createInvite({
      ctx: ctxAs(db, admin),
      input: { email: address, role: "agent", numberIds: [number.id] },
    });
    expect((await getInvite({ ctx: system, input: { token } })).email).toBe(address);

    const user = await acceptInvite({ ctx: system, input: { token, name: "New Agent", password: "a long enough password" } });
    expect(user).toMatchObject({ email: address, role: "agent", name: "New Agent" });
    expect(await db.select().from(numberAccess).where(eq(numberAccess.userId, user.id))).toEqual([
      { userId: user.id, numberId: number.id },
    ]);
    expect(await authenticate({ ctx: system, input: { email: address, password: "a long enough password" } })).toMatchObject({
      id: user.id,
    });
    // Single use, and only the token's hash is stored.
    await rejectsWith(
      acceptInvite({ ctx: system, input: { token, name: "Again", password: "a long enough password" } }),
      "NOT_FOUND",
    );
    const [stored] = await db.select().from(invites).where(eq(invites.email, address));
    expect(stored!.tokenHash).not.toContain(token);
    expect(stored!.acceptedUserId).toBe(user.id);
  });

  it("two simultaneous acceptances of one link make one user", async () => {
    const admin = await createUser(db);
    const { token } = await createInvite({ ctx: ctxAs(db, admin), input: { email: email(), role: "agent", numberIds: [] } });
    const results = await Promise.allSettled(
      [1, 2].map((n) => acceptInvite({ ctx: system, input: { token, name: `Racer ${n}`, password: "a long enough password" } })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("an expired or revoked link is refused; agents cannot invite; a member's email cannot be invited twice", async () => {
    const admin = await createUser(db);
    const ctx = ctxAs(db, admin);
    const expired = await createInvite({ ctx, input: { email: email(), role: "agent", numberIds: [] } });
    await db.update(invites).set({ expiresAt: sql`now() - interval '1 minute'` }).where(eq(invites.id, expired.invite.id));
    await rejectsWith(getInvite({ ctx: system, input: { token: expired.token } }), "NOT_FOUND");
    await rejectsWith(
      acceptInvite({ ctx: system, input: { token: expired.token, name: "Late", password: "a long enough password" } }),
      "NOT_FOUND",
    );

    const revoked = await createInvite({ ctx, input: { email: email(), role: "agent", numberIds: [] } });
    await revokeInvite({ ctx, input: { inviteId: revoked.invite.id } });
    await rejectsWith(getInvite({ ctx: system, input: { token: revoked.token } }), "NOT_FOUND");
    expect((await listTeam({ ctx })).invites.map((i) => i.id)).not.toContain(revoked.invite.id);

    const agent = await createAgent(db, []);
    await rejectsWith(
      createInvite({ ctx: ctxAs(db, agent), input: { email: email(), role: "admin", numberIds: [] } }),
      "FORBIDDEN",
    );
    await rejectsWith(createInvite({ ctx, input: { email: agent.email, role: "agent", numberIds: [] } }), "CONFLICT");
    await rejectsWith(
      createInvite({ ctx, input: { email: email(), role: "agent", numberIds: [crypto.randomUUID()] } }),
      "VALIDATION",
    );
  });
});

describe("managing members", () => {
  it("deactivation ends the member's sessions; they can no longer sign in", async () => {
    const admin = await createUser(db);
    const agent = await createAgent(db, []);
    await updateMember({ ctx: ctxAs(db, admin), input: { userId: agent.id, isActive: false } });
    const [after] = await db.select().from(users).where(eq(users.id, agent.id));
    expect(after).toMatchObject({ isActive: false, sessionVersion: agent.sessionVersion + 1 });
    expect(await authenticate({ ctx: system, input: { email: agent.email, password: "x" } })).toBeNull();
  });

  it("admins cannot deactivate or demote themselves; agents cannot manage members", async () => {
    const admin = await createUser(db);
    const ctx = ctxAs(db, admin);
    await rejectsWith(updateMember({ ctx, input: { userId: admin.id, isActive: false } }), "VALIDATION");
    await rejectsWith(updateMember({ ctx, input: { userId: admin.id, role: "agent" } }), "VALIDATION");
    const agent = await createAgent(db, []);
    await rejectsWith(updateMember({ ctx: ctxAs(db, agent), input: { userId: admin.id, isActive: false } }), "FORBIDDEN");
  });

  it("an admin replaces a member's numbers and role; an unknown number is refused", async () => {
    const admin = await createUser(db);
    const [a, b] = [await createNumber(db), await createNumber(db)];
    const agent = await createAgent(db, [a.id]);
    const ctx = ctxAs(db, admin);
    await updateMember({ ctx, input: { userId: agent.id, numberIds: [b.id] } });
    expect((await db.select().from(numberAccess).where(eq(numberAccess.userId, agent.id))).map((r) => r.numberId)).toEqual([
      b.id,
    ]);
    await rejectsWith(updateMember({ ctx, input: { userId: agent.id, numberIds: [crypto.randomUUID()] } }), "VALIDATION");
    await updateMember({ ctx, input: { userId: agent.id, role: "admin" } });
    const member = (await listTeam({ ctx })).members.find((m) => m.id === agent.id);
    expect(member).toMatchObject({ role: "admin", numberIds: [b.id] });
  });

  it("a password reset by an admin, or a change by the user, replaces the password and ends sessions", async () => {
    const admin = await createUser(db);
    const agent = await createAgent(db, []);
    await resetPassword({ ctx: ctxAs(db, admin), input: { userId: agent.id, password: "reset by the admin" } });
    const signedIn = await authenticate({ ctx: system, input: { email: agent.email, password: "reset by the admin" } });
    expect(signedIn?.sessionVersion).toBe(agent.sessionVersion + 1);

    const ctx = ctxAs(db, agent);
    await rejectsWith(
      changePassword({ ctx, input: { currentPassword: "wrong", newPassword: "my own new password" } }),
      "VALIDATION",
    );
    await changePassword({ ctx, input: { currentPassword: "reset by the admin", newPassword: "my own new password" } });
    expect(await authenticate({ ctx: system, input: { email: agent.email, password: "my own new password" } })).toMatchObject({
      sessionVersion: agent.sessionVersion + 2,
    });
    await rejectsWith(resetPassword({ ctx, input: { userId: admin.id, password: "taking over now" } }), "FORBIDDEN");
  });
});
