import { z } from "zod";
import { conversationStatus } from "@/db/schema";
import { cursorParam, route } from "@/lib/http/route";
import { listConversationsForUser } from "@/lib/services/conversations/list-conversations";

const querySchema = z.object({
  numberId: z.string().uuid().optional(),
  view: z.enum(["all", "mine", "unassigned"]).default("all"),
  status: z.enum(conversationStatus.enumValues).optional(),
  labelId: z.string().uuid().optional(),
  window: z.enum(["closing", "closed"]).optional(),
  search: z.string().max(200).optional(),
  cursor: cursorParam.transform((c) => ({ lastMessageAt: c.at, id: c.id })).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const GET = route({ auth: "user", query: querySchema }, ({ ctx, query }) =>
  listConversationsForUser({ ctx, input: query }),
);
