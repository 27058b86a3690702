import { and, asc, eq, ne } from "drizzle-orm";
import { numbers, templates } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { GraphClient } from "@/lib/whatsapp/graph-client";
import type { Ctx, UserActor } from "../context";
import { assertCanAccessNumber } from "../numbers/access";
import { syncTemplates } from "./sync-templates";

/**
 * The templates an agent may send from a number: approved, not authentication (one-time codes are
 * for login flows, not conversations). The first call for a number lists them from Meta.
 */
export async function listSendableTemplates({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor; secret: string };
  input: { numberId: string; graph: GraphClient };
}) {
  await assertCanAccessNumber(ctx, input.numberId, "NOT_FOUND");
  const [number] = await ctx.db.select().from(numbers).where(eq(numbers.id, input.numberId));
  if (!number) throw new AppError("NOT_FOUND", "This number does not exist.");
  if (!number.templatesSyncedAt) await syncTemplates({ ctx, input: { numberId: number.id, graph: input.graph } });
  return ctx.db
    .select({
      id: templates.id,
      name: templates.name,
      language: templates.language,
      category: templates.category,
      definition: templates.definition,
    })
    .from(templates)
    .where(and(eq(templates.wabaId, number.wabaId), eq(templates.status, "APPROVED"), ne(templates.category, "AUTHENTICATION")))
    .orderBy(asc(templates.name), asc(templates.language));
}
