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
    // Tandem's own pacing keeps it under the limit: without it most sends would be refused. A send
    // delayed on a busy machine can still arrive next to the following one; it is retried.
    const refused = Object.values(number!.refused).reduce((sum, n) => sum + n, 0);
    expect(refused).toBeLessThanOrEqual(5);
    expect(Object.keys(number!.refused).every((code) => code === "130429")).toBe(true);
  }, 120_000);
});
