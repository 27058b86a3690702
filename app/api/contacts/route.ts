import { z } from "zod";
import { route } from "@/lib/http/route";
import { addContact } from "@/lib/services/contacts/add-contact";
import { listContactsForUser } from "@/lib/services/contacts/list-contacts";

const query = z.object({
  search: z.string().max(100).default(""),
  numberId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** Contacts of the numbers the user may see, to start a conversation from. */
export const GET = route({ auth: "user", query }, async ({ ctx, query }) => ({
  contacts: await listContactsForUser({ ctx, input: query }),
}));

const body = z.object({
  numberId: z.uuid(),
  phone: z.string().max(32),
  name: z.string().max(120, "A name has at most 120 characters").optional(),
});

/** The contact for a typed phone number (created when new), to start a conversation with a template. */
export const POST = route({ auth: "user", body }, ({ ctx, body }) => addContact({ ctx, input: body }));
