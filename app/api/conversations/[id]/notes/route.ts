import { z } from "zod";
import { route, uuidParam } from "@/lib/http/route";
import { MAX_TEXT_LENGTH } from "@/lib/services/messages/send-message";
import { addNote } from "@/lib/services/notes/add-note";

const noteSchema = z.object({
  clientKey: z.string().min(8).max(100),
  text: z.string().max(MAX_TEXT_LENGTH, `A note has at most ${MAX_TEXT_LENGTH} characters`),
});

export const POST = route(
  { auth: "user", params: z.object({ id: uuidParam }), body: noteSchema },
  async ({ ctx, params, body }) => {
    const result = await addNote({ ctx, input: { conversationId: params.id, ...body } });
    return Response.json(result, { status: result.duplicate ? 200 : 201 });
  },
);
