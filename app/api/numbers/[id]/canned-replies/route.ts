import { z } from "zod";
import { route, uuidParam } from "@/lib/http/route";
import {
  cannedReplyBodySchema,
  createCannedReply,
  listCannedReplies,
  shortcutSchema,
} from "@/lib/services/canned-replies/canned-replies";

const params = z.object({ id: uuidParam });

export const GET = route({ auth: "user", params }, async ({ ctx, params }) => ({
  cannedReplies: await listCannedReplies({ ctx, input: { numberId: params.id } }),
}));

const createSchema = z.object({ shortcut: shortcutSchema, body: cannedReplyBodySchema });

export const POST = route({ auth: "admin", params, body: createSchema }, async ({ ctx, params, body }) =>
  Response.json({ cannedReply: await createCannedReply({ ctx, input: { numberId: params.id, ...body } }) }, { status: 201 }),
);
