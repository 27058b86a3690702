import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { demoApp } from "@/lib/demo";
import {
  checkToken,
  decodePathSegment,
  GraphError,
  parseOrThrow,
  readGraphBody,
  sendGraphError,
  syncRefusal,
  unknownObject,
} from "./graph-errors";
import { type Route, readValidJson, sendError, sendJson } from "./http";
import { buildLifecycleWebhook } from "./lifecycle";
import { renderSdkScript, renderSignupPopup } from "./signup-page";
import { historyChoices, type NumberStore, type SandboxState } from "./state";
import type { SyncRunner } from "./sync";
import type { BusinessNumber, WebhookSender } from "./webhooks";

/**
 * Meta's Embedded Signup for WhatsApp Business app numbers, as the sandbox plays it: a stand-in
 * Facebook JS SDK (`/sdk.js`, same FB.init / FB.login) and popup, then the Graph endpoints Tandem's
 * server calls: code exchange, `/{waba_id}/phone_numbers`, `/{waba_id}/subscribed_apps`, and
 * `smb_app_data` for numbers connected through the popup. Only the SDK address and origin differ from Meta.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/implementation
 */

export type SignupNumber = { business: BusinessNumber; accessToken: string; store: NumberStore; sync: SyncRunner };

export type SignupDeps = {
  appSecret: string;
  state: SandboxState;
  demo: SignupNumber;
  /** The sync runner of a popup-connected number (created on first use). */
  extraSync: (phoneNumberId: string) => SyncRunner | null;
  webhooks: WebhookSender;
  now: () => Date;
  log: (line: string) => void;
};

// Meta's authorization codes from FB.login live 30 seconds and work once.
const codeTtlMs = 30_000;

const tokenPath = /^\/v\d+\.\d+\/oauth\/access_token\/?$/;
const phoneNumbersPath = /^\/v\d+\.\d+\/([^/]+)\/phone_numbers\/?$/;
const subscribedAppsPath = /^\/v\d+\.\d+\/([^/]+)\/subscribed_apps\/?$/;
const smbAppDataPath = /^\/v\d+\.\d+\/([^/]+)\/smb_app_data\/?$/;

const finishSchema = z.object({
  appId: z.string(),
  configId: z.string(),
  number: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("existing"), phoneNumberId: z.string() }),
    z.object({
      kind: z.literal("new"),
      displayPhoneNumber: z.string().regex(/^\d{8,15}$/, "must be 8 to 15 digits, country code first"),
      verifiedName: z.string().trim().min(1).max(80),
      /** Put the number in the demo business's WhatsApp Business account instead of a new one. */
      isInDemoWaba: z.boolean().default(false),
    }),
  ]),
  historyChoice: z.enum(historyChoices),
  /** Messages of synthetic history; null shares the scripted demo chats. */
  historySize: z.number().int().min(1).max(100_000).nullable().default(null),
});

const smbAppDataSchema = z.object({
  messaging_product: z.literal("whatsapp", { error: 'must be "whatsapp"' }),
  sync_type: z.enum(["smb_app_state_sync", "history"], { error: "must be one of {smb_app_state_sync, history}" }),
});

const randomDigits = (length: number) => Array.from(randomBytes(length), (b) => String(b % 10)).join("");

export function createSignupRoutes(deps: SignupDeps): Route {
  const codes = new Map<string, { phoneNumberId: string; expiresAt: number; isUsed: boolean }>();

  function allNumbers(): { business: BusinessNumber; accessToken: string; store: NumberStore }[] {
    const extras = deps.state.listExtraNumbers().flatMap((extra) => {
      const store = deps.state.extraNumberStore(extra.business.phoneNumberId);
      return store ? [{ business: extra.business, accessToken: extra.accessToken, store }] : [];
    });
    return [deps.demo, ...extras];
  }

  async function finish(req: IncomingMessage, res: ServerResponse) {
    const input = await readValidJson(req, res, finishSchema);
    if (!input) return;
    if (input.appId !== demoApp.appId || input.configId !== demoApp.configId) {
      return sendError(res, 400, "INVALID_APP", "This app id or configuration id is not registered with the sandbox.");
    }
    let target: { business: BusinessNumber; accessToken: string } | undefined;
    if (input.number.kind === "existing") {
      const { phoneNumberId } = input.number;
      target = allNumbers().find((n) => n.business.phoneNumberId === phoneNumberId);
      if (!target) return sendError(res, 404, "NOT_FOUND", "No sandbox number has this phone_number_id.");
    } else {
      const { displayPhoneNumber } = input.number;
      if (allNumbers().some((n) => n.business.displayPhoneNumber === displayPhoneNumber)) {
        return sendError(res, 409, "CONFLICT", "This number already exists in the sandbox: pick it from the list.");
      }
      target = {
        business: {
          wabaId: input.number.isInDemoWaba ? deps.demo.business.wabaId : `1${randomDigits(14)}`,
          phoneNumberId: `1${randomDigits(14)}`,
          displayPhoneNumber,
          verifiedName: input.number.verifiedName,
        },
        accessToken: `sandbox-token-${randomBytes(16).toString("hex")}`,
      };
    }
    // Completing the signup onboards the number again: its syncs become available for 24 hours.
    const options = { historyChoice: input.historyChoice, historySize: input.historySize };
    if (target.business.phoneNumberId === deps.demo.business.phoneNumberId) deps.state.resetNumber(options);
    else deps.state.onboardExtraNumber({ business: target.business, accessToken: target.accessToken, ...options });

    const code = randomBytes(24).toString("base64url");
    codes.set(code, { phoneNumberId: target.business.phoneNumberId, expiresAt: deps.now().getTime() + codeTtlMs, isUsed: false });
    const sameWaba = allNumbers().filter((n) => n.business.wabaId === target.business.wabaId).length;
    deps.log(`embedded signup finished for ${target.business.displayPhoneNumber} (history: ${input.historyChoice})`);
    // Meta fires an account_update when a business completes Embedded Signup.
    void deps.webhooks.deliver(buildLifecycleWebhook(target.business, { event: "PARTNER_ADDED", at: deps.now() }));
    sendJson(res, 200, {
      code,
      wabaId: target.business.wabaId,
      // Meta's coexistence completion carries only the WABA id; the sandbox adds the number only when
      // the WABA has several, as the generic FINISH event would.
      phoneNumberId: sameWaba > 1 ? target.business.phoneNumberId : null,
    });
  }

  /** GET /oauth/access_token: the business token for a fresh, unused code of this app. */
  function exchange(res: ServerResponse, url: URL) {
    const clientId = url.searchParams.get("client_id");
    const secret = url.searchParams.get("client_secret");
    if (clientId !== demoApp.appId || secret !== deps.appSecret) {
      throw new GraphError({ status: 400, message: "Error validating client secret.", type: "OAuthException", code: 1 });
    }
    const code = url.searchParams.get("code") ?? "";
    const record = codes.get(code);
    if (!record) {
      throw new GraphError({
        status: 400,
        message: "Invalid verification code format.",
        type: "OAuthException",
        code: 100,
        subcode: 36008,
      });
    }
    if (record.isUsed) {
      throw new GraphError({
        status: 400,
        message: "This authorization code has been used.",
        type: "OAuthException",
        code: 100,
        subcode: 36009,
      });
    }
    if (deps.now().getTime() > record.expiresAt) {
      throw new GraphError({
        status: 400,
        message: "This authorization code has expired.",
        type: "OAuthException",
        code: 100,
        subcode: 36007,
      });
    }
    record.isUsed = true;
    const number = allNumbers().find((n) => n.business.phoneNumberId === record.phoneNumberId);
    if (!number) throw unknownObject("get", record.phoneNumberId);
    sendJson(res, 200, { access_token: number.accessToken, token_type: "bearer" });
  }

  /** The WABA's numbers, for a token of that WABA. */
  function wabaNumbers(req: IncomingMessage, url: URL, wabaId: string) {
    const numbers = allNumbers().filter((n) => n.business.wabaId === wabaId);
    if (numbers.length === 0) throw unknownObject(req.method === "POST" ? "post" : "get", wabaId);
    const holder = numbers.find((n) => `Bearer ${n.accessToken}` === req.headers.authorization) ?? numbers[0]!;
    checkToken(req, url, holder.accessToken, holder.store.getNumber().account.status);
    return numbers;
  }

  return async (req, res, url) => {
    try {
      if (req.method === "GET" && url.pathname === "/sdk.js") {
        // Loaded with crossorigin="anonymous", as Meta's snippet does: CORS like connect.facebook.net.
        res.writeHead(200, {
          "content-type": "text/javascript; charset=utf-8",
          "cache-control": "no-store",
          "access-control-allow-origin": "*",
        });
        res.end(renderSdkScript(originOf(req)));
        return true;
      }
      if (req.method === "GET" && url.pathname === "/embedded-signup") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
        res.end(renderSignupPopup({ demoApp }));
        return true;
      }
      if (req.method === "GET" && url.pathname === "/embedded-signup/api/numbers") {
        sendJson(res, 200, {
          numbers: allNumbers().map((n) => ({ ...n.business, account: n.store.getNumber().account.status })),
        });
        return true;
      }
      if (req.method === "POST" && url.pathname === "/embedded-signup/api/finish") {
        await finish(req, res);
        return true;
      }
      if (req.method === "GET" && tokenPath.test(url.pathname)) {
        exchange(res, url);
        return true;
      }
      const phoneNumbers = phoneNumbersPath.exec(url.pathname);
      if (phoneNumbers && req.method === "GET") {
        const numbers = wabaNumbers(req, url, decodePathSegment(phoneNumbers[1]!));
        sendJson(res, 200, {
          data: numbers.map((n) => ({
            verified_name: n.business.verifiedName,
            code_verification_status: "VERIFIED",
            display_phone_number: `+${n.business.displayPhoneNumber}`,
            quality_rating: "GREEN",
            platform_type: "CLOUD_API",
            id: n.business.phoneNumberId,
          })),
          paging: { cursors: { before: "QVFIUk", after: "QVFIUk" } },
        });
        return true;
      }
      const subscribed = subscribedAppsPath.exec(url.pathname);
      if (subscribed && req.method === "POST") {
        wabaNumbers(req, url, decodePathSegment(subscribed[1]!));
        sendJson(res, 200, { success: true });
        return true;
      }
      // The demo number's smb_app_data is served by the Graph routes; popup-connected numbers here.
      const smbAppData = smbAppDataPath.exec(url.pathname);
      const extraId = smbAppData ? decodePathSegment(smbAppData[1]!) : null;
      const extra = extraId ? deps.state.listExtraNumbers().find((n) => n.business.phoneNumberId === extraId) : null;
      if (extra && extraId && req.method === "POST") {
        const store = deps.state.extraNumberStore(extraId)!;
        checkToken(req, url, extra.accessToken, store.getNumber().account.status);
        const body = parseOrThrow(smbAppDataSchema, await readGraphBody(req));
        const sync = deps.extraSync(extraId)!;
        const result = sync.request(body.sync_type === "history" ? "history" : "contacts", "graph");
        if ("requestId" in result) {
          sendJson(res, 200, { messaging_product: "whatsapp", request_id: result.requestId });
          return true;
        }
        throw syncRefusal(result.refused, store.getNumber().account.status);
      }
      return false;
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      sendGraphError(res, error.meta);
      return true;
    }
  };
}

/** The sandbox's own origin as the browser reached it. */
function originOf(req: IncomingMessage): string {
  return `http://${req.headers.host ?? "127.0.0.1"}`;
}
