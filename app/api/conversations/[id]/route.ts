import { z } from "zod";
import { route, uuidParam } from "@/lib/http/route";
import { getConversation } from "@/lib/services/conversations/get-conversation";
import { withWindow } from "@/lib/services/conversations/list-conversations";
import { updateConversation } from "@/lib/services/conversations/update-conversation";

export const GET = route({ auth: "user", params: z.object({ id: uuidParam }) }, async ({ ctx, params }) => {
  const conversation = await getConversation({ ctx, input: { conversationId: params.id } });
  return { conversation: withWindow(conversation) };
});

const patchBody = z
  .object({ status: z.enum(["open", "pending", "resolved"]).optional(), assigneeId: z.string().uuid().nullable().optional() })
  .refine((b) => b.status !== undefined || b.assigneeId !== undefined, "Give a status or an assigneeId");

export const PATCH = route(
  { auth: "user", params: z.object({ id: uuidParam }), body: patchBody },
  async ({ ctx, params, body }) => {
    const conversation = await updateConversation({ ctx, input: { conversationId: params.id, ...body } });
    return { conversation: withWindow(conversation) };
  },
);
