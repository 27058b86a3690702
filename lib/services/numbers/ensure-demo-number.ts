import { sql } from "drizzle-orm";
import { numbers } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto";
import { demoNumber } from "@/lib/demo";
import type { Ctx } from "../context";
import { replayEventsForNumber } from "../webhooks/replay-webhook-events";

/** Demo mode: the sandbox's business number exists in Tandem from the first start. */
export async function ensureDemoNumber({ ctx }: { ctx: Ctx & { secret: string } }) {
  await ctx.db
    .insert(numbers)
    .values({
      phoneNumberId: demoNumber.phoneNumberId,
      wabaId: demoNumber.wabaId,
      displayPhoneNumber: demoNumber.displayPhoneNumber,
      verifiedName: demoNumber.verifiedName,
      accessTokenEncrypted: encryptSecret(demoNumber.accessToken, ctx.secret),
    })
    .onConflictDoUpdate({
      target: numbers.phoneNumberId,
      // Re-seal the token when AUTH_SECRET changed; keep everything else as it is.
      set: { accessTokenEncrypted: sql`excluded.access_token_encrypted` },
    });
  await replayEventsForNumber({ ctx, input: { phoneNumberId: demoNumber.phoneNumberId, wabaId: demoNumber.wabaId } });
}
