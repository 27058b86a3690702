import { webEnv } from "@/lib/env/web";
import { route } from "@/lib/http/route";
import { collectMetrics } from "@/lib/services/system/collect-metrics";

export const dynamic = "force-dynamic";

/** Prometheus scrape endpoint, behind `Authorization: Bearer $TANDEM_METRICS_TOKEN`. */
export const GET = route({ auth: "public" }, async ({ ctx, req }) => {
  const { contentType, body } = await collectMetrics({
    ctx,
    input: { token: webEnv().TANDEM_METRICS_TOKEN, authorization: req.headers.get("authorization") },
  });
  return new Response(body, { headers: { "content-type": contentType } });
});
