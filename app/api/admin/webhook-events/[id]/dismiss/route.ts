import { z } from "zod";
import { route } from "@/lib/http/route";
import { dismissWebhookEvent } from "@/lib/services/webhooks/replay-webhook-events";

export const POST = route({ auth: "admin", params: z.object({ id: z.coerce.number().int().positive() }) }, ({ ctx, params }) =>
  dismissWebhookEvent({ ctx, input: { eventId: params.id } }),
);
