import { route } from "@/lib/http/route";
import { listTeam } from "@/lib/services/users/list-team";

export const GET = route({ auth: "admin" }, ({ ctx }) => listTeam({ ctx }));
