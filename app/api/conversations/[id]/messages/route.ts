import { z } from "zod";
import { cursorParam, route, uuidParam } from "@/lib/http/route";
import { listThreadMessages } from "@/lib/services/messages/list-thread-messages";
import { MAX_TEXT_LENGTH, sendMessage } from "@/lib/services/messages/send-message";

const params = z.object({ id: uuidParam });

const querySchema = z.object({
  before: cursorParam.transform((c) => ({ sentAt: c.at, id: c.id })).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const GET = route({ auth: "user", params, query: querySchema }, ({ ctx, params, query }) =>
  listThreadMessages({ ctx, input: { conversationId: params.id, before: query.before, limit: query.limit } }),
);

const sendSchema = z.object({
  clientKey: z.string().min(8).max(100),
  text: z.string().max(MAX_TEXT_LENGTH, `A message has at most ${MAX_TEXT_LENGTH} characters`),
  replyToWamid: z.string().max(200).nullish(),
});

export const POST = route({ auth: "user", params, body: sendSchema }, async ({ ctx, params, body }) => {
  const result = await sendMessage({ ctx, input: { conversationId: params.id, ...body } });
  return Response.json(result, { status: result.duplicate ? 200 : 201 });
});
