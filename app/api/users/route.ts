import { route } from "@/lib/http/route";
import { listTeammates } from "@/lib/services/users/list-teammates";

export const GET = route({ auth: "user" }, async ({ ctx }) => ({ users: await listTeammates({ ctx }) }));
