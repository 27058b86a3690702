/** WhatsApp's customer-service window: 24 hours after the customer's last live message. */
export const WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Free text is refused this long before the window closes: a message accepted at 23:59 could wait in
 * the queue past the edge and fail at Meta with 131047.
 */
export const WINDOW_SEND_MARGIN_MS = 2 * 60 * 1000;

type WindowFacts = { lastCustomerMessageAt: Date | null; windowClosedAt?: Date | null };

/**
 * When the window closes; null when no live customer message opened one. A 131047 from Meta
 * (`windowClosedAt`) closes it early, until the customer writes again.
 */
export function windowExpiresAt(facts: WindowFacts): Date | null {
  const { lastCustomerMessageAt: last, windowClosedAt: closed } = facts;
  if (!last) return null;
  const expires = new Date(last.getTime() + WINDOW_MS);
  return closed && closed >= last && closed < expires ? closed : expires;
}

export function isWindowOpen(facts: WindowFacts, now = new Date()) {
  const expires = windowExpiresAt(facts);
  return expires !== null && expires > now;
}

/** Why free text cannot be sent now, or null when it can (the window is open beyond the margin). */
export function windowRefusal(facts: WindowFacts, now = new Date()): string | null {
  const expires = windowExpiresAt(facts);
  if (!expires) return "the customer has not written since this number was connected";
  if (facts.windowClosedAt && expires.getTime() === facts.windowClosedAt.getTime() && expires <= now)
    return "WhatsApp reported the window closed (131047)";
  if (expires <= now) return `the customer last wrote ${formatHours(now.getTime() - facts.lastCustomerMessageAt!.getTime())} ago`;
  if (expires.getTime() - now.getTime() < WINDOW_SEND_MARGIN_MS)
    return "the window closes in less than two minutes, too soon for a message to be delivered safely";
  return null;
}

function formatHours(ms: number) {
  const hours = Math.floor(ms / 3_600_000);
  return hours >= 48 ? `${Math.floor(hours / 24)} days` : `${hours} h`;
}
