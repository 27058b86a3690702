import { GraphError } from "./graph-errors";

/**
 * Meta's limits on sends from a coexistence number, as the sandbox enforces them, plus switches for
 * tests: inject a Graph error into the next sends, or hold a send's response past the client's timeout
 * (the message is still accepted: an unknown outcome). Every send attempt is logged with its time.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/throughput
 */

export type SendAttempt = { at: number; recipient: string; outcome: "accepted" | number; wamid: string | null };

export type SendLimitsOptions = {
  now: () => Date;
  /** Messages per second per number before 130429; coexistence numbers have 20. */
  throughputPerSecond?: number;
  /** One message per this interval to the same user, with `pairBurst` borrowed ahead (131056). */
  pairIntervalMs?: number;
  pairBurst?: number;
};

export function createSendLimits(options: SendLimitsOptions) {
  const throughput = options.throughputPerSecond ?? 20;
  const pairIntervalMs = options.pairIntervalMs ?? 6000;
  const pairBurst = options.pairBurst ?? 45;
  const recentAccepted: number[] = [];
  const pairs = new Map<string, number>();
  const attempts: SendAttempt[] = [];
  let faults: { code: number; remaining: number }[] = [];
  let holdNextMs = 0;

  function refuse(recipient: string, at: number, error: GraphError): never {
    attempts.push({ at, recipient, outcome: error.meta.code, wamid: null });
    throw error;
  }

  return {
    /** Throws the Graph error Meta would answer for this send, or returns how long to hold the answer. */
    admit(recipient: string): { holdMs: number; at: number } {
      const at = options.now().getTime();
      const fault = faults[0];
      if (fault) {
        fault.remaining -= 1;
        if (fault.remaining <= 0) faults.shift();
        refuse(recipient, at, injectedError(fault.code));
      }
      while (recentAccepted.length > 0 && recentAccepted[0]! <= at - 1000) recentAccepted.shift();
      if (recentAccepted.length >= throughput) refuse(recipient, at, throughputError());
      const nextSlot = pairs.get(recipient) ?? at;
      if (nextSlot - at > (pairBurst - 1) * pairIntervalMs) refuse(recipient, at, pairError());
      pairs.set(recipient, Math.max(nextSlot, at) + pairIntervalMs);
      recentAccepted.push(at);
      const holdMs = holdNextMs;
      holdNextMs = 0;
      return { holdMs, at };
    },
    recordAccepted(recipient: string, at: number, wamid: string) {
      attempts.push({ at, recipient, outcome: "accepted", wamid });
    },
    injectFault(code: number, count: number) {
      faults.push({ code, remaining: count });
    },
    holdNextResponse(ms: number) {
      holdNextMs = ms;
    },
    attempts: () => attempts.slice(),
    reset() {
      faults = [];
      holdNextMs = 0;
      attempts.length = 0;
      recentAccepted.length = 0;
      pairs.clear();
    },
  };
}

export type SendLimits = ReturnType<typeof createSendLimits>;

function throughputError() {
  return new GraphError({
    status: 400,
    message: "(#130429) Rate limit hit",
    type: "OAuthException",
    code: 130429,
    details: "Cloud API message throughput has been reached.",
  });
}

function pairError() {
  return new GraphError({
    status: 400,
    message: "(#131056) (Business Account, Consumer Account) pair rate limit hit",
    type: "OAuthException",
    code: 131056,
    details:
      "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.",
  });
}

/** Errors the control API can inject, with Meta's wording where it is fixed. */
function injectedError(code: number): GraphError {
  if (code === 130429) return throughputError();
  if (code === 131056) return pairError();
  if (code === 190)
    return new GraphError({
      status: 401,
      message: "Error validating access token: Session has expired.",
      type: "OAuthException",
      code: 190,
      subcode: 463,
    });
  return new GraphError({
    status: 400,
    message: `(#${code}) Injected by the sandbox`,
    type: "OAuthException",
    code,
    details: `Sandbox fault ${code}.`,
  });
}
