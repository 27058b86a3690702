import { route } from "@/lib/http/route";
import { listMentions } from "@/lib/services/notes/list-mentions";

export const GET = route({ auth: "user" }, async ({ ctx }) => ({ mentions: await listMentions({ ctx }) }));
