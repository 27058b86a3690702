import { route } from "@/lib/http/route";
import { replayFailedWebhookEvents } from "@/lib/services/webhooks/replay-webhook-events";

export const POST = route({ auth: "admin" }, ({ ctx }) => replayFailedWebhookEvents({ ctx }));
