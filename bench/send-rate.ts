/**
 * `npx tsx bench/send-rate.ts`: the outbound queue's pacing under load. Two worker processes send
 * 200 queued messages on one number, then 100 on each of 10 numbers at once, against one Meta sandbox
 * per number; rates are measured at the sandboxes. Uses `<DATABASE_URL>_sendbench`, recreated.
 */
import { runSendLoad } from "../server/worker/send-load";

const base = process.env.DATABASE_URL;
if (!base) throw new Error("DATABASE_URL must point at a PostgreSQL server (the bench creates its own database)");
const url = new URL(base);
url.pathname = `${url.pathname}_sendbench`;

for (const [numbers, perNumber] of [
  [1, 200],
  [10, 100],
] as const) {
  const result = await runSendLoad({ databaseUrl: url.toString(), numbers, messagesPerNumber: perNumber, workers: 2 });
  console.log(`\n${numbers} number(s) × ${perNumber} messages, 2 worker processes`);
  console.table(result.perNumber.map((f, i) => ({ number: i + 1, ...f, refused: JSON.stringify(f.refused) })));
  console.log("all numbers together:", JSON.stringify(result.overall));
}
