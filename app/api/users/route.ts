import { listActiveUsers } from "@/db/queries/users";
import { route } from "@/lib/http/route";

export const GET = route({ auth: "user" }, async ({ ctx }) => ({ users: await listActiveUsers(ctx.db) }));
