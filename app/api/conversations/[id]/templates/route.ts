import { z } from "zod";
import { route, uuidParam } from "@/lib/http/route";
import { sendTemplate } from "@/lib/services/templates/send-template";

const bodySchema = z.object({
  clientKey: z.string().min(8).max(100),
  templateId: z.uuid(),
  values: z.record(z.string().max(100), z.string().max(2000)).default({}),
});

export const POST = route(
  { auth: "user", params: z.object({ id: uuidParam }), body: bodySchema },
  async ({ ctx, params, body }) => {
    const result = await sendTemplate({ ctx, input: { conversationId: params.id, ...body } });
    return Response.json(result, { status: result.duplicate ? 200 : 201 });
  },
);
