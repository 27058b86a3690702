import { z } from "zod";
import { route, uuidParam } from "@/lib/http/route";
import { settleFailedMessage } from "@/lib/services/messages/settle-failed-message";

export const POST = route({ auth: "user", params: z.object({ id: uuidParam }) }, async ({ ctx, params }) =>
  settleFailedMessage({ ctx, input: { messageId: params.id, action: "retry" } }),
);
