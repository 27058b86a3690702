import { z } from "zod";
import { route, uuidParam } from "@/lib/http/route";
import { sendReaction } from "@/lib/services/messages/send-reaction";

const bodySchema = z.object({
  clientKey: z.string().min(8).max(100),
  // An empty emoji removes the reaction.
  emoji: z.string().max(16, "A reaction is a single emoji"),
});

export const POST = route(
  { auth: "user", params: z.object({ id: uuidParam }), body: bodySchema },
  async ({ ctx, params, body }) => {
    const result = await sendReaction({ ctx, input: { messageId: params.id, ...body } });
    return Response.json(result, { status: result.duplicate ? 200 : 201 });
  },
);
