import { z } from "zod";
import { webEnv } from "@/lib/env/web";
import { route } from "@/lib/http/route";
import { getOnboardingGraph } from "@/lib/server/signup";
import { completeOnboarding } from "@/lib/services/onboarding/complete-onboarding";

const bodySchema = z.object({
  state: z.string().min(20).max(200),
  code: z.string().min(1).max(2000),
  wabaId: z.string().regex(/^\d{1,30}$/, "must be Meta's numeric WABA id"),
  phoneNumberId: z
    .string()
    .regex(/^\d{1,30}$/, "must be Meta's numeric phone number id")
    .nullable()
    .default(null),
});

/** The browser posts FB.login's code and the signup's WABA id once both have arrived. */
export const POST = route({ auth: "admin", body: bodySchema }, async ({ ctx, body }) => {
  const result = await completeOnboarding({
    ctx: { ...ctx, secret: webEnv().AUTH_SECRET },
    input: { ...body, graph: getOnboardingGraph() },
  });
  return { number: result };
});
