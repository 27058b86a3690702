import { and, between, eq, gt, sql } from "drizzle-orm";
import { historySyncs, numberEvents, numbers, onboardingStates, syncRequests } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { notifyChange } from "@/lib/realtime/notify";
import { GraphApiError } from "@/lib/whatsapp/graph-client";
import type { OnboardingGraph, PhoneNumberInfo } from "@/lib/whatsapp/graph-onboarding";
import type { Ctx, UserActor } from "../context";
import { resumeAfterNewToken } from "../numbers/token-state";
import { replayEventsForNumber } from "../webhooks/replay-webhook-events";
import { requestSyncs } from "./request-syncs";
import { hashState } from "./start-onboarding";

/** The event Tandem records in the number's lifecycle when an admin completes Embedded Signup. */
export const ONBOARDED_EVENT = "EMBEDDED_SIGNUP_COMPLETED";

// Meta's PARTNER_ADDED for this WABA, if it came just before the completion, carries Meta's own time.
const PARTNER_ADDED_LOOKBACK_MS = 10 * 60 * 1000;

function metaFailure(step: string, error: unknown): AppError {
  if (error instanceof GraphApiError) {
    return new AppError("META_ERROR", `${step}: Meta answered ${error.code ? `error ${error.code}: ` : ""}${error.message}`);
  }
  return new AppError("META_ERROR", `${step}: Meta did not answer in time. Start the connection again.`);
}

function pickNumber(found: PhoneNumberInfo[], phoneNumberId: string | null): PhoneNumberInfo {
  const match = phoneNumberId ? found.find((n) => n.id === phoneNumberId) : found[0];
  if (!match) {
    throw new AppError(
      "META_ERROR",
      found.length === 0
        ? "Meta returned no phone number for this WhatsApp Business account. Check that the number finished onboarding in the app, then connect again."
        : `Meta did not list the phone number ${phoneNumberId} under this WhatsApp Business account.`,
    );
  }
  return match;
}

/**
 * The server half of Embedded Signup for a WhatsApp Business app number: consume the one-time
 * state, exchange the code (valid 30 s), resolve the number, subscribe the app, store the number
 * with its token sealed, apply webhooks that arrived before it, then request each sync once.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/onboarding-business-app-users
 */
export async function completeOnboarding({
  ctx,
  input,
}: {
  ctx: Ctx & { actor: UserActor; secret: string };
  input: { state: string; code: string; wabaId: string; phoneNumberId: string | null; graph: OnboardingGraph; now?: Date };
}) {
  const now = input.now ?? new Date();
  const [consumed] = await ctx.db
    .delete(onboardingStates)
    .where(
      and(
        eq(onboardingStates.stateSha256, hashState(input.state)),
        eq(onboardingStates.userId, ctx.actor.userId),
        gt(onboardingStates.expiresAt, now),
      ),
    )
    .returning({ userId: onboardingStates.userId });
  if (!consumed) {
    throw new AppError(
      "CONFLICT",
      "This signup was already completed, has expired, or was started by someone else. Connect again.",
    );
  }

  const { accessToken } = await input.graph.exchangeCode({ code: input.code }).catch((error) => {
    throw metaFailure("Exchanging the signup code", error);
  });
  const found = await input.graph.listPhoneNumbers({ wabaId: input.wabaId, token: accessToken }).catch((error) => {
    throw metaFailure("Looking up the phone number", error);
  });
  const phone = pickNumber(found, input.phoneNumberId);
  await input.graph.subscribeApp({ wabaId: input.wabaId, token: accessToken }).catch((error) => {
    throw metaFailure("Subscribing Tandem to the account's webhooks", error);
  });

  // Meta compares message timestamps to the onboarding time in whole seconds.
  const completedAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const { number, pending } = await ctx.db.transaction(async (tx) => {
    const [partnerAdded] = await tx
      .select({ at: numberEvents.occurredAt })
      .from(numberEvents)
      .where(
        and(
          eq(numberEvents.wabaId, input.wabaId),
          eq(numberEvents.event, "PARTNER_ADDED"),
          between(numberEvents.occurredAt, new Date(completedAt.getTime() - PARTNER_ADDED_LOOKBACK_MS), completedAt),
        ),
      )
      .orderBy(sql`${numberEvents.occurredAt} desc`)
      .limit(1);
    const onboardedAt = partnerAdded?.at ?? completedAt;
    // Reconnecting keeps the row, so its contacts and conversations stay.
    const [number] = await tx
      .insert(numbers)
      .values({
        phoneNumberId: phone.id,
        wabaId: input.wabaId,
        displayPhoneNumber: phone.displayPhoneNumber,
        verifiedName: phone.verifiedName,
        accessTokenEncrypted: encryptSecret(accessToken, ctx.secret),
        state: "connected",
        stateChangedAt: onboardedAt,
        onboardedAt,
      })
      .onConflictDoUpdate({
        target: numbers.phoneNumberId,
        set: {
          wabaId: input.wabaId,
          displayPhoneNumber: phone.displayPhoneNumber,
          verifiedName: sql`coalesce(nullif(excluded.verified_name, ''), ${numbers.verifiedName})`,
          accessTokenEncrypted: sql`excluded.access_token_encrypted`,
          state: "connected",
          stateChangedAt: onboardedAt,
          disconnectionReason: null,
          disconnectionInitiatedBy: null,
          onboardedAt,
        },
      })
      .returning();
    if (!number) throw new Error("number upsert returned no row");
    await tx
      .insert(numberEvents)
      .values({ wabaId: input.wabaId, event: ONBOARDED_EVENT, occurredAt: onboardedAt, phoneNumber: phone.displayPhoneNumber })
      .onConflictDoNothing();
    // "requested" is committed before Meta is called: a second completion finds these rows and calls nothing.
    const pending = await tx
      .insert(syncRequests)
      .values([
        { numberId: number.id, kind: "contacts" as const, onboardedAt },
        { numberId: number.id, kind: "history" as const, onboardedAt },
      ])
      .onConflictDoNothing()
      .returning({ id: syncRequests.id, kind: syncRequests.kind });
    if (pending.some((p) => p.kind === "history")) {
      const fresh = {
        state: "requested" as const,
        maxProgress: 0,
        phasesSeen: [],
        chunksReceived: 0,
        messagesImported: 0,
        conversationsImported: 0,
        error: null,
        // The request counts as activity: a sync that never hears back turns stale from here.
        lastEventAt: now,
        completedAt: null,
      };
      await tx
        .insert(historySyncs)
        .values({ numberId: number.id, ...fresh })
        .onConflictDoUpdate({ target: historySyncs.numberId, set: fresh });
    }
    // A number reconnected after a 190 has a fresh token: its paused sends and downloads go on.
    if (number.tokenInvalidAt) await resumeAfterNewToken(tx, number.id);
    await notifyChange(tx, { type: "number", numberId: number.id });
    return { number, pending };
  });

  await replayEventsForNumber({ ctx, input: { phoneNumberId: number.phoneNumberId, wabaId: number.wabaId } });
  const syncs = await requestSyncs({
    ctx,
    input: { number: { id: number.id, phoneNumberId: number.phoneNumberId }, token: accessToken, pending, graph: input.graph },
  });
  return { numberId: number.id, displayPhoneNumber: number.displayPhoneNumber, onboardedAt: number.onboardedAt, syncs };
}
