import { z } from "zod";
import { route } from "@/lib/http/route";
import { getWebhookEventPayload } from "@/lib/services/webhooks/replay-webhook-events";

export const GET = route({ auth: "admin", params: z.object({ id: z.coerce.number().int().positive() }) }, ({ ctx, params }) =>
  getWebhookEventPayload({ ctx, input: { eventId: params.id } }),
);
