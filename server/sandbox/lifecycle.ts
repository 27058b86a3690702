import { demoApp } from "@/lib/demo";
import { accountUpdate } from "@/lib/whatsapp/fixtures/build";
import type { AccountStatus, NumberStore } from "./state";
import type { BusinessNumber, DeliveryAttempt, WebhookSender } from "./webhooks";

/**
 * Lifecycle events of a coexistence number as signed `account_update` webhooks in Meta's shape: routed
 * by WABA id in `entry[].id`, with `entry[].time` and no `metadata`. Each also moves the sandbox number's
 * account status, which decides whether the Graph API serves it and whether webhooks flow.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/account_update
 */

export const lifecycleEvents = [
  "PARTNER_REMOVED",
  "ACCOUNT_OFFBOARDED",
  "ACCOUNT_RECONNECTED",
  "PARTNER_APP_UNINSTALLED",
  "PARTNER_APP_INSTALLED",
  "PARTNER_ADDED",
] as const;
export type LifecycleEvent = (typeof lifecycleEvents)[number];

export const disconnectionReasons = [
  "ACCOUNT_DISCONNECTED",
  "BUSINESS_DOWNGRADE",
  "CHANGE_NUMBER",
  "COMPANION_INACTIVITY",
  "PRIMARY_INACTIVITY",
  "USER_RE_REGISTERED",
] as const;

export const initiators = ["USER", "SYSTEM"] as const;

// The business portfolio that owns the demo WABA, and the sandbox's stand-in for Tandem's Meta app.
export const ownerBusinessId = "940512387160432";
export const partnerAppId = demoApp.appId;

const nextStatus: Record<LifecycleEvent, AccountStatus> = {
  PARTNER_REMOVED: "removed",
  ACCOUNT_OFFBOARDED: "offboarded",
  ACCOUNT_RECONNECTED: "connected",
  PARTNER_APP_UNINSTALLED: "uninstalled",
  PARTNER_APP_INSTALLED: "connected",
  PARTNER_ADDED: "connected",
};

export function buildLifecycleWebhook(
  number: BusinessNumber,
  input: { event: LifecycleEvent; at: Date; reason?: string; initiatedBy?: string },
) {
  const time = Math.floor(input.at.getTime() / 1000);
  const wabaInfo = { waba_id: number.wabaId, owner_business_id: ownerBusinessId };
  switch (input.event) {
    case "PARTNER_REMOVED":
      return accountUpdate(number, {
        event: input.event,
        time,
        phoneNumber: number.displayPhoneNumber,
        wabaInfo,
        ...(input.reason ? { reason: input.reason, initiatedBy: input.initiatedBy ?? "USER" } : {}),
      });
    case "PARTNER_APP_INSTALLED":
    case "PARTNER_APP_UNINSTALLED":
      return accountUpdate(number, { event: input.event, time, wabaInfo: { ...wabaInfo, partner_app_id: partnerAppId } });
    case "PARTNER_ADDED":
      return accountUpdate(number, { event: input.event, time, wabaInfo });
    // Meta sends these two as just `{ "event": ... }`.
    case "ACCOUNT_OFFBOARDED":
    case "ACCOUNT_RECONNECTED":
      return accountUpdate(number, { event: input.event, time });
  }
}

export async function sendLifecycleEvent(
  deps: { number: BusinessNumber; state: NumberStore; webhooks: WebhookSender; now: () => Date },
  input: { event: LifecycleEvent; reason?: string; initiatedBy?: string },
): Promise<DeliveryAttempt> {
  const at = deps.now();
  deps.state.updateNumber((number) => {
    number.account = { status: nextStatus[input.event], lastEvent: input.event, lastEventAt: at.toISOString() };
  });
  return deps.webhooks.deliver(buildLifecycleWebhook(deps.number, { ...input, at }));
}
