import { sandboxEnv } from "@/lib/env/sandbox";
import { createSandbox } from "./create-sandbox";

/** Starts the Meta sandbox process: `npx tsx server/sandbox/main.ts`. */

const env = sandboxEnv();
const sandbox = createSandbox({
  appSecret: env.META_APP_SECRET,
  webhookUrl: env.SANDBOX_WEBHOOK_URL,
  statusDelayMs: env.SANDBOX_STATUS_DELAY_MS,
  stateFile: env.SANDBOX_STATE_FILE,
  syncSpanMs: env.SANDBOX_SYNC_SPAN_MS,
});

const { url } = await sandbox.listen(env.SANDBOX_PORT, env.SANDBOX_HOST);
console.log(
  `Meta sandbox on ${url} (phone simulator ${url}/phone, controls ${url}/sandbox), webhooks to ${env.SANDBOX_WEBHOOK_URL}`,
);

async function stop(signal: NodeJS.Signals) {
  console.log(`${signal}: stopping`);
  await sandbox.close();
  process.exit(0);
}

process.once("SIGINT", stop);
process.once("SIGTERM", stop);
