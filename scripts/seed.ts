/**
 * `npm run seed -- --conversations 100000 --messages 2000000 [--number <phone_number_id>]`: loads a
 * realistic inbox into the database Tandem uses (DATABASE_URL, or the embedded one of `npm run dev`,
 * which must be running). The number defaults to the demo number.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { createDb } from "@/db/client";
import { demoNumber } from "@/lib/demo";
import { launcherEnv } from "@/lib/env/launcher";
import { loadGeneratedSecrets } from "./launcher/data-dir";
import { seedInbox } from "./seed/seed-inbox";

const { values } = parseArgs({
  options: {
    conversations: { type: "string", default: "1000" },
    messages: { type: "string", default: "20000" },
    number: { type: "string", default: demoNumber.phoneNumberId },
  },
});
const conversations = Number(values.conversations);
const messages = Number(values.messages);
if (!Number.isInteger(conversations) || conversations < 1 || !Number.isInteger(messages) || messages < conversations) {
  console.error("Usage: npm run seed -- --conversations N --messages M (M >= N >= 1)");
  process.exit(2);
}

const env = launcherEnv();
const url =
  env.DATABASE_URL ??
  `postgres://postgres:${encodeURIComponent(loadGeneratedSecrets(path.resolve(env.TANDEM_DATA_DIR)).POSTGRES_PASSWORD)}@127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}/tandem`;
const { sql } = createDb(url, { max: 2 });
try {
  const [number] = await sql<{ id: string }[]>`select id from numbers where phone_number_id = ${values.number}`;
  if (!number) throw new Error(`No number with phone_number_id ${values.number}: start Tandem once (npm run dev) first.`);
  const started = Date.now();
  let last = 0;
  const result = await seedInbox(sql, {
    numberId: number.id,
    conversations,
    messages,
    onProgress: (done) => {
      if (Date.now() - last < 5000) return;
      last = Date.now();
      console.log(`${done.conversations} conversations, ${done.messages} messages…`);
    },
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `seeded ${result.conversations} conversations and ${result.messages} messages in ${seconds.toFixed(0)} s (${Math.round(result.messages / seconds)} messages/s)`,
  );
} finally {
  await sql.end();
}
