import { z } from "zod";
import { route } from "@/lib/http/route";
import { retryFailedMediaDownloads } from "@/lib/services/media/retry-failed-downloads";

export const POST = route({ auth: "admin", params: z.object({ id: z.uuid() }) }, ({ ctx, params }) =>
  retryFailedMediaDownloads({ ctx, input: { numberId: params.id } }),
);
