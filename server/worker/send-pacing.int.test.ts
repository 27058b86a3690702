import { describe, expect, it } from "vitest";
import { runSendLoad } from "./send-load";

/**
 * Pacing across processes: two real worker processes share one number's 20 messages per second
 * through PostgreSQL. Measured where Meta would measure it, at the sandbox.
 */
describe("outbound pacing", () => {
  it("two worker processes send 200 queued messages on one number at no more than 20 per second", async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `${url.pathname}_pacing`;
    const result = await runSendLoad({ databaseUrl: url.toString(), numbers: 1, messagesPerNumber: 200, workers: 2 });
    const [number] = result.perNumber;
    expect(number!.accepted).toBe(200);
    expect(number!.maxAcceptedPerSecond).toBeLessThanOrEqual(20);
    // Tandem's own pacing, not the sandbox's refusals, keeps it under the limit.
    expect(number!.refused).toEqual({});
    expect(number!.maxAttemptsPerSecond).toBeLessThanOrEqual(20);
  }, 120_000);
});
