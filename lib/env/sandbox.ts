import { z } from "zod";
import { parseEnv } from "./shared";

const schema = z.object({
  SANDBOX_PORT: z.coerce.number().int().default(3002),
  SANDBOX_HOST: z.string().default("127.0.0.1"),
  META_APP_SECRET: z.string().min(1),
  // Where the sandbox delivers its signed webhooks: Tandem's intake.
  SANDBOX_WEBHOOK_URL: z.string().url().default("http://127.0.0.1:3000/api/webhooks/whatsapp"),
  // Milliseconds between the sent, delivered and read statuses of an outbound message.
  SANDBOX_STATUS_DELAY_MS: z.coerce.number().int().min(0).default(400),
  // Spread each onboarding sync's webhooks over this many milliseconds (unset: 400 ms between webhooks).
  SANDBOX_SYNC_SPAN_MS: z.coerce.number().int().min(0).optional(),
  // Optional JSON file where the sandbox keeps phone threads and customers across restarts.
  SANDBOX_STATE_FILE: z.string().optional(),
});

export const sandboxEnv = () => parseEnv(schema, process.env);
