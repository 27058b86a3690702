import { createDb } from "@/db/client";
import { realtimeEnv } from "@/lib/env/realtime";
import { beat, HEARTBEAT_INTERVAL_MS } from "@/lib/services/system/heartbeat";
import { createRealtimeServer } from "./create-realtime-server";

const env = realtimeEnv();
const { db, sql } = createDb(env.DATABASE_URL, { max: 5 });
const server = createRealtimeServer({ db, sql, secret: env.AUTH_SECRET, corsOrigin: env.WEB_ORIGIN.split(",") });
const { port } = await server.listen(env.REALTIME_PORT, env.REALTIME_HOST);

await beat(db, "realtime");
const heartbeat = setInterval(
  () => beat(db, "realtime").catch((e) => console.error("heartbeat failed", e)),
  HEARTBEAT_INTERVAL_MS,
);
console.log(JSON.stringify({ level: "info", message: "realtime ready", url: `http://${env.REALTIME_HOST}:${port}` }));

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  clearInterval(heartbeat);
  await server.close();
  await sql.end({ timeout: 5 });
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
