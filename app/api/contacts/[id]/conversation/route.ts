import { z } from "zod";
import { route, uuidParam } from "@/lib/http/route";
import { startConversation } from "@/lib/services/conversations/start-conversation";

/** Opens (or creates) the conversation with a contact, to write to them with a template. */
export const POST = route({ auth: "user", params: z.object({ id: uuidParam }) }, ({ ctx, params }) =>
  startConversation({ ctx, input: { contactId: params.id } }),
);
