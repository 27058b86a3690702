import { route } from "@/lib/http/route";
import { countUnread } from "@/lib/services/conversations/count-unread";

export const GET = route({ auth: "user" }, async ({ ctx }) => ({ unread: await countUnread({ ctx }) }));
