import { z } from "zod";
import { route } from "@/lib/http/route";
import { replayWebhookEvent } from "@/lib/services/webhooks/replay-webhook-events";

export const POST = route({ auth: "admin", params: z.object({ id: z.coerce.number().int().positive() }) }, ({ ctx, params }) =>
  replayWebhookEvent({ ctx, input: { eventId: params.id } }),
);
