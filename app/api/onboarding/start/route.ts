import { route } from "@/lib/http/route";
import { startOnboarding } from "@/lib/services/onboarding/start-onboarding";

/** Issues the one-time state an Embedded Signup completion must bring back. */
export const POST = route({ auth: "admin" }, ({ ctx }) => startOnboarding({ ctx, input: {} }));
