import { z } from "zod";
import { route } from "@/lib/http/route";
import { listWebhookEvents } from "@/lib/services/webhooks/replay-webhook-events";

const querySchema = z.object({
  status: z.enum(["failed", "dismissed", "pending", "processed"]).default("failed"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const GET = route({ auth: "admin", query: querySchema }, async ({ ctx, query }) => ({
  events: await listWebhookEvents({ ctx, input: query }),
}));
