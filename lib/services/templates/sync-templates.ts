import { and, eq, notInArray, sql } from "drizzle-orm";
import { numbers, templates } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { GraphApiError, type GraphClient } from "@/lib/whatsapp/graph-client";
import { templateDefinitionSchema } from "@/lib/whatsapp/template-schema";
import type { Ctx } from "../context";

/**
 * Replaces a WABA's stored templates with Meta's list (every page). Definitions Tandem cannot read
 * are skipped rather than failing the sync; templates deleted at Meta disappear.
 */
export async function syncTemplates({
  ctx,
  input,
}: {
  ctx: Ctx & { secret: string };
  input: { numberId: string; graph: GraphClient };
}) {
  const [number] = await ctx.db.select().from(numbers).where(eq(numbers.id, input.numberId));
  if (!number) throw new AppError("NOT_FOUND", "This number does not exist.");
  let listed: unknown[];
  try {
    listed = await input.graph.listTemplates({
      wabaId: number.wabaId,
      token: decryptSecret(number.accessTokenEncrypted, ctx.secret),
    });
  } catch (error) {
    if (error instanceof GraphApiError)
      throw new AppError("UNAVAILABLE", `WhatsApp did not list the templates (${error.code}): ${error.message}`);
    throw new AppError("UNAVAILABLE", "WhatsApp could not be reached to list the templates.");
  }
  const rows = listed.flatMap((item) => {
    const parsed = templateDefinitionSchema.safeParse(item);
    if (!parsed.success) return [];
    const t = parsed.data;
    return [
      {
        wabaId: number.wabaId,
        metaId: t.id,
        name: t.name,
        language: t.language,
        category: t.category.toUpperCase(),
        status: t.status.toUpperCase(),
        definition: t,
        rejectedReason: t.rejected_reason ?? null,
      },
    ];
  });
  await ctx.db.transaction(async (tx) => {
    if (rows.length > 0)
      await tx
        .insert(templates)
        .values(rows)
        .onConflictDoUpdate({
          target: [templates.wabaId, templates.name, templates.language],
          set: {
            metaId: sql`excluded.meta_id`,
            category: sql`excluded.category`,
            status: sql`excluded.status`,
            definition: sql`excluded.definition`,
            rejectedReason: sql`excluded.rejected_reason`,
            syncedAt: sql`now()`,
          },
        });
    await tx.delete(templates).where(
      and(
        eq(templates.wabaId, number.wabaId),
        rows.length > 0
          ? notInArray(
              templates.metaId,
              rows.map((r) => r.metaId),
            )
          : undefined,
      ),
    );
    await tx.update(numbers).set({ templatesSyncedAt: sql`now()` }).where(eq(numbers.wabaId, number.wabaId));
  });
  return { count: rows.length };
}
