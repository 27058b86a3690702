import { z } from "zod";
import { route, uuidParam } from "@/lib/http/route";
import { getConversation } from "@/lib/services/conversations/get-conversation";
import { withWindow } from "@/lib/services/conversations/list-conversations";

export const GET = route({ auth: "user", params: z.object({ id: uuidParam }) }, async ({ ctx, params }) => {
  const conversation = await getConversation({ ctx, input: { conversationId: params.id } });
  return { conversation: withWindow(conversation) };
});
