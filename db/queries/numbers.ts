import { eq, inArray } from "drizzle-orm";
import type { Executor } from "../client";
import { historySyncs, numberAccess, numbers } from "../schema";

export async function findNumberByPhoneNumberId(db: Executor, phoneNumberId: string) {
  const [row] = await db.select().from(numbers).where(eq(numbers.phoneNumberId, phoneNumberId));
  return row ?? null;
}

export async function findNumberById(db: Executor, id: string) {
  const [row] = await db.select().from(numbers).where(eq(numbers.id, id));
  return row ?? null;
}

/** Numbers a user may see: every number for admins, granted ones for agents. */
export async function listNumberIdsForUser(db: Executor, params: { userId: string; role: "admin" | "agent" }) {
  if (params.role === "admin") return (await db.select({ id: numbers.id }).from(numbers)).map((r) => r.id);
  const rows = await db.select({ id: numberAccess.numberId }).from(numberAccess).where(eq(numberAccess.userId, params.userId));
  return rows.map((r) => r.id);
}

/** Public columns only: the encrypted token never leaves the server. */
export async function listNumbers(db: Executor, params: { ids: string[] }) {
  if (params.ids.length === 0) return [];
  return db
    .select({
      id: numbers.id,
      phoneNumberId: numbers.phoneNumberId,
      wabaId: numbers.wabaId,
      displayPhoneNumber: numbers.displayPhoneNumber,
      verifiedName: numbers.verifiedName,
      state: numbers.state,
      stateChangedAt: numbers.stateChangedAt,
      disconnectionReason: numbers.disconnectionReason,
      disconnectionInitiatedBy: numbers.disconnectionInitiatedBy,
      onboardedAt: numbers.onboardedAt,
      tokenInvalidAt: numbers.tokenInvalidAt,
      history: {
        state: historySyncs.state,
        maxProgress: historySyncs.maxProgress,
        phasesSeen: historySyncs.phasesSeen,
        chunksReceived: historySyncs.chunksReceived,
        messagesImported: historySyncs.messagesImported,
        conversationsImported: historySyncs.conversationsImported,
        error: historySyncs.error,
        lastEventAt: historySyncs.lastEventAt,
      },
    })
    .from(numbers)
    .leftJoin(historySyncs, eq(historySyncs.numberId, numbers.id))
    .where(inArray(numbers.id, params.ids))
    .orderBy(numbers.createdAt);
}

export type NumberSummary = Awaited<ReturnType<typeof listNumbers>>[number];
