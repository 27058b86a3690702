import { and, asc, desc, eq, exists, gt, isNull, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "../client";
import { invites, numberAccess, users } from "../schema";

export async function findUserById(db: Executor, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

export async function findUserByEmail(db: Executor, email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email));
  return row ?? null;
}

const teammateColumns = { id: users.id, name: users.name, role: users.role };

/** Every active user, for admins (who see every number). No emails or hashes. */
export function listActiveUsers(db: Executor) {
  return db.select(teammateColumns).from(users).where(eq(users.isActive, true)).orderBy(asc(users.name));
}

/**
 * Active members of the numbers an agent belongs to: the agents granted one of those numbers,
 * the admins (members of every number), and the agent. An agent with no number sees only themselves.
 */
export function listActiveTeammatesOfAgent(db: Executor, params: { userId: string }) {
  const mine = alias(numberAccess, "mine");
  const theirs = alias(numberAccess, "theirs");
  const sharesNumber = exists(
    db
      .select({ one: sql`1` })
      .from(mine)
      .innerJoin(theirs, eq(theirs.numberId, mine.numberId))
      .where(and(eq(mine.userId, params.userId), eq(theirs.userId, users.id))),
  );
  const hasAnyNumber = exists(db.select({ one: sql`1` }).from(numberAccess).where(eq(numberAccess.userId, params.userId)));
  return db
    .select(teammateColumns)
    .from(users)
    .where(
      and(eq(users.isActive, true), or(eq(users.id, params.userId), sharesNumber, and(eq(users.role, "admin"), hasAnyNumber))),
    )
    .orderBy(asc(users.name));
}

/** The team page: every user with their grants, active ones first. */
export async function listTeamMembers(db: Executor) {
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      isActive: users.isActive,
      createdAt: users.createdAt,
      numberIds: sql<
        string[]
      >`coalesce(array_agg(${numberAccess.numberId}) filter (where ${numberAccess.numberId} is not null), '{}')`,
    })
    .from(users)
    .leftJoin(numberAccess, eq(numberAccess.userId, users.id))
    .groupBy(users.id)
    .orderBy(desc(users.isActive), asc(users.name));
  return rows;
}

/** Invitations that can still be accepted, newest first. */
export function listPendingInvites(db: Executor) {
  return db
    .select({
      id: invites.id,
      email: invites.email,
      role: invites.role,
      numberIds: invites.numberIds,
      expiresAt: invites.expiresAt,
      createdAt: invites.createdAt,
    })
    .from(invites)
    .where(and(isNull(invites.acceptedAt), isNull(invites.revokedAt), gt(invites.expiresAt, sql`now()`)))
    .orderBy(desc(invites.createdAt));
}

export async function findInviteByTokenHash(db: Executor, tokenHash: string) {
  const [row] = await db.select().from(invites).where(eq(invites.tokenHash, tokenHash));
  return row ?? null;
}

export async function countActiveAdmins(db: Executor) {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.isActive, true)));
  return row?.count ?? 0;
}

/** Active members of a number: the agents granted it and every admin. */
export function listNumberMembers(db: Executor, params: { numberId: string }) {
  const granted = exists(
    db
      .select({ one: sql`1` })
      .from(numberAccess)
      .where(and(eq(numberAccess.userId, users.id), eq(numberAccess.numberId, params.numberId))),
  );
  return db
    .select(teammateColumns)
    .from(users)
    .where(and(eq(users.isActive, true), or(eq(users.role, "admin"), granted)))
    .orderBy(asc(users.name));
}
