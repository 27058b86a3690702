import { route } from "@/lib/http/route";
import { changePassword, changePasswordSchema } from "@/lib/services/users/set-password";

export const POST = route({ auth: "user", body: changePasswordSchema }, ({ ctx, body }) => changePassword({ ctx, input: body }));
