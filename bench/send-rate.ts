import { runSendLoad } from "../server/worker/send-load";

/**
 * The outbound queue's pacing under load (`BENCH_PARTS=send`): two worker processes send the queued
 * messages of one number, then of several numbers at once, against one Meta sandbox per number;
 * rates are measured at the sandboxes. Meta's limit for a coexistence number is 20 messages/s.
 */
export async function runSendRate(input: { databaseUrl: string; oneNumberMessages: number; numbers: number; perNumber: number }) {
  const url = new URL(input.databaseUrl);
  url.pathname = `${url.pathname}_send`;
  const runs = [
    { numbers: 1, perNumber: input.oneNumberMessages },
    { numbers: input.numbers, perNumber: input.perNumber },
  ];
  const results = [];
  for (const run of runs) {
    console.log(`send rate: ${run.numbers} number(s) × ${run.perNumber} queued messages, 2 worker processes…`);
    const load = await runSendLoad({
      databaseUrl: url.toString(),
      numbers: run.numbers,
      messagesPerNumber: run.perNumber,
      workers: 2,
      timeoutMs: Math.max(120_000, (run.perNumber / 15) * 1000 * 3),
    });
    const perNumber = load.perNumber.map((f, i) => ({ number: i + 1, ...f, refused: JSON.stringify(f.refused) }));
    const result = {
      numbers: run.numbers,
      messagesPerNumber: run.perNumber,
      perNumber,
      // The figures that must stay at or under 20: any one number's busiest second.
      maxAcceptedPerSecondOfAnyNumber: Math.max(...load.perNumber.map((f) => f.maxAcceptedPerSecond)),
      all: load.overall,
    };
    console.log(`\n${run.numbers} number(s) × ${run.perNumber} messages`);
    console.table(perNumber);
    console.log(
      `all numbers together: ${load.overall.accepted} sent in ${load.overall.seconds} s, ${load.overall.ratePerSecond}/s, busiest second ${load.overall.maxAcceptedPerSecond}; busiest second of any one number: ${result.maxAcceptedPerSecondOfAnyNumber}`,
    );
    results.push(result);
  }
  return results;
}
