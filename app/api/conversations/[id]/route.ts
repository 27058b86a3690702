import { z } from "zod";
import { conversationStatus } from "@/db/schema";
import { route, uuidParam } from "@/lib/http/route";
import { getConversation } from "@/lib/services/conversations/get-conversation";
import { withWindow } from "@/lib/services/conversations/list-conversations";
import { updateConversation } from "@/lib/services/conversations/update-conversation";

export const GET = route({ auth: "user", params: z.object({ id: uuidParam }) }, async ({ ctx, params }) => {
  const conversation = await getConversation({ ctx, input: { conversationId: params.id } });
  return { conversation: withWindow(conversation) };
});

const patchBody = z
  .object({
    status: z.enum(conversationStatus.enumValues).optional(),
    snoozedUntil: z.iso.datetime({ offset: true }).pipe(z.coerce.date()).optional(),
    assigneeId: z.string().uuid().nullable().optional(),
    labelIds: z.array(z.string().uuid()).max(20).optional(),
  })
  .refine(
    (b) => b.status !== undefined || b.assigneeId !== undefined || b.labelIds !== undefined,
    "Give a status, an assigneeId or labelIds",
  );

export const PATCH = route(
  { auth: "user", params: z.object({ id: uuidParam }), body: patchBody },
  async ({ ctx, params, body }) => {
    const conversation = await updateConversation({ ctx, input: { conversationId: params.id, ...body } });
    return { conversation: withWindow(conversation) };
  },
);
