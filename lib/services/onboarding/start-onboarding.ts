import { createHash, randomBytes } from "node:crypto";
import { lt } from "drizzle-orm";
import { onboardingStates } from "@/db/schema";
import type { Ctx, UserActor } from "../context";

/** Long enough to scan a QR code in the Business app and choose what to share; short enough to be useless later. */
export const ONBOARDING_STATE_TTL_MS = 15 * 60 * 1000;

export const hashState = (state: string) => createHash("sha256").update(state).digest("hex");

/**
 * Issues the one-time state of an Embedded Signup launch, bound to the admin who launches it. The
 * browser keeps the state; the server keeps only its hash, and the completion must present it.
 */
export async function startOnboarding({ ctx, input }: { ctx: Ctx & { actor: UserActor }; input: { now?: Date } }) {
  const now = input.now ?? new Date();
  const state = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + ONBOARDING_STATE_TTL_MS);
  await ctx.db.delete(onboardingStates).where(lt(onboardingStates.expiresAt, now));
  await ctx.db.insert(onboardingStates).values({ stateSha256: hashState(state), userId: ctx.actor.userId, expiresAt });
  return { state, expiresAt };
}
