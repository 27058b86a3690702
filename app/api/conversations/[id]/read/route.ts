import { z } from "zod";
import { route, uuidParam } from "@/lib/http/route";
import { markConversationRead } from "@/lib/services/conversations/mark-read";

export const POST = route({ auth: "user", params: z.object({ id: uuidParam }) }, async ({ ctx, params }) => {
  await markConversationRead({ ctx, input: { conversationId: params.id } });
  return { ok: true };
});
