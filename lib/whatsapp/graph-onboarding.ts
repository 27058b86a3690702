import { z } from "zod";
import { type GraphClientOptions, readGraphResponse } from "./graph-client";

/**
 * The Graph calls of a coexistence onboarding (Tech Provider), in Meta's order: exchange the code,
 * find the number, subscribe the app, request the one-shot syncs. Never `/register`: a coexistence
 * number is already registered by the WhatsApp Business app.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/onboarding-business-app-users
 */

const tokenSchema = z.looseObject({ access_token: z.string().min(1) });

const phoneNumbersSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      id: z.string().min(1),
      display_phone_number: z.string().default(""),
      verified_name: z.string().default(""),
    }),
  ),
});

const successSchema = z.looseObject({ success: z.literal(true) });
const syncSchema = z.looseObject({ request_id: z.string().min(1) });

export type SyncType = "smb_app_state_sync" | "history";
export type PhoneNumberInfo = { id: string; displayPhoneNumber: string; verifiedName: string };

/** Graph digits only, as webhooks carry them ("+1 555-078-3881" and "15550783881" are one number). */
export const digitsOf = (phone: string) => phone.replace(/\D/g, "");

export function createOnboardingGraph(options: GraphClientOptions & { appId: string; appSecret: string }) {
  const doFetch = options.fetch ?? fetch;
  const root = `${options.baseUrl.replace(/\/$/, "")}/${options.version}`;
  const withToken = (token: string, init: RequestInit = {}): RequestInit => ({
    ...init,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    signal: AbortSignal.timeout(15_000),
  });

  return {
    /** The code from FB.login lives 30 seconds: exchanged at once for the business token. */
    async exchangeCode(input: { code: string }): Promise<{ accessToken: string }> {
      const query = new URLSearchParams({ client_id: options.appId, client_secret: options.appSecret, code: input.code });
      const response = await doFetch(`${root}/oauth/access_token?${query}`, { signal: AbortSignal.timeout(10_000) });
      const body = await readGraphResponse(response, tokenSchema);
      return { accessToken: body.access_token };
    },

    /** GET /{waba_id}/phone_numbers: the coexistence completion may carry only the WABA id. */
    async listPhoneNumbers(input: { wabaId: string; token: string }): Promise<PhoneNumberInfo[]> {
      const fields = "id,display_phone_number,verified_name";
      const response = await doFetch(
        `${root}/${encodeURIComponent(input.wabaId)}/phone_numbers?fields=${fields}`,
        withToken(input.token),
      );
      const body = await readGraphResponse(response, phoneNumbersSchema);
      return body.data.map((n) => ({
        id: n.id,
        displayPhoneNumber: digitsOf(n.display_phone_number),
        verifiedName: n.verified_name,
      }));
    },

    /** POST /{waba_id}/subscribed_apps: webhooks of this WABA reach the app. */
    async subscribeApp(input: { wabaId: string; token: string }): Promise<void> {
      const response = await doFetch(
        `${root}/${encodeURIComponent(input.wabaId)}/subscribed_apps`,
        withToken(input.token, { method: "POST" }),
      );
      await readGraphResponse(response, successSchema);
    },

    /** POST /{phone_number_id}/smb_app_data: accepted once per sync type, within 24 hours of onboarding. */
    async requestSync(input: { phoneNumberId: string; token: string; syncType: SyncType }): Promise<{ requestId: string }> {
      const response = await doFetch(
        `${root}/${encodeURIComponent(input.phoneNumberId)}/smb_app_data`,
        withToken(input.token, {
          method: "POST",
          body: JSON.stringify({ messaging_product: "whatsapp", sync_type: input.syncType }),
        }),
      );
      const body = await readGraphResponse(response, syncSchema);
      return { requestId: body.request_id };
    },
  };
}

export type OnboardingGraph = ReturnType<typeof createOnboardingGraph>;
