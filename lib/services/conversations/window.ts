/** WhatsApp's customer-service window: 24 hours after the customer's last live message. */
export const WINDOW_MS = 24 * 60 * 60 * 1000;

export function windowExpiresAt(lastCustomerMessageAt: Date | null): Date | null {
  return lastCustomerMessageAt ? new Date(lastCustomerMessageAt.getTime() + WINDOW_MS) : null;
}

export function isWindowOpen(lastCustomerMessageAt: Date | null, now = new Date()) {
  const expires = windowExpiresAt(lastCustomerMessageAt);
  return expires !== null && expires > now;
}
