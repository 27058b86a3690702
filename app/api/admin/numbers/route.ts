import { listNumberOverview } from "@/db/queries/numbers";
import { webEnv } from "@/lib/env/web";
import { route } from "@/lib/http/route";

/** Settings > Numbers: every number with its syncs and lifecycle, for admins. */
export const GET = route({ auth: "admin" }, async ({ ctx }) => ({
  numbers: await listNumberOverview(ctx.db),
  historyStaleAfterMs: webEnv().HISTORY_STALE_MINUTES * 60_000,
}));
