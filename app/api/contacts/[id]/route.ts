import { z } from "zod";
import { route, uuidParam } from "@/lib/http/route";
import { renameContact } from "@/lib/services/contacts/rename-contact";

const body = z.object({ customName: z.string().max(120, "A name has at most 120 characters").nullable() });

export const PATCH = route({ auth: "user", params: z.object({ id: uuidParam }), body }, ({ ctx, params, body }) =>
  renameContact({ ctx, input: { contactId: params.id, name: body.customName } }),
);
