import { afterEach, describe, expect, it } from "vitest";
import { demoApp, demoNumber } from "@/lib/demo";
import { GraphApiError } from "@/lib/whatsapp/graph-client";
import { createOnboardingGraph } from "@/lib/whatsapp/graph-onboarding";
import { isValidSignature } from "@/lib/whatsapp/signature";
import { appSecret, changeOf, getJson, ofField, post, runCleanups, startReceiver, startSandbox, waitFor } from "./test-support";

afterEach(runCleanups);

type Finish = { code: string; wabaId: string; phoneNumberId: string | null };

const newNumber = (displayPhoneNumber: string, extra: Record<string, unknown> = {}) => ({
  appId: demoApp.appId,
  configId: demoApp.configId,
  number: { kind: "new", displayPhoneNumber, verifiedName: "Second Shop", ...extra },
  historyChoice: "share",
});

async function setup(overrides: Parameters<typeof startSandbox>[1] = {}) {
  const receiver = await startReceiver();
  let clock = Date.now();
  const { sandbox, url } = await startSandbox(receiver.url, { now: () => new Date(clock), ...overrides });
  const graph = createOnboardingGraph({ baseUrl: url, version: "v24.0", appId: demoApp.appId, appSecret });
  return { receiver, sandbox, url, graph, advance: (ms: number) => (clock += ms) };
}

describe("sandbox Embedded Signup", () => {
  it("serves an SDK with FB.init and FB.login that opens the sandbox popup", async () => {
    const { url } = await setup();
    const script = await (await fetch(`${url}/sdk.js`)).text();
    expect(script).toContain("window.FB");
    expect(script).toContain(`var ORIGIN = ${JSON.stringify(url)}`);
    expect(script).toContain('"/embedded-signup?"');
    const popup = await (await fetch(`${url}/embedded-signup`)).text();
    expect(popup).toContain("WA_EMBEDDED_SIGNUP");
    expect(popup).toContain("FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING");
  });

  it("a new number goes through code exchange, lookup, subscription and its own one-shot syncs", async () => {
    const { url, graph, receiver, sandbox } = await setup();
    const finish = await post<Finish>(`${url}/embedded-signup/api/finish`, newNumber("15550107777"));
    expect(finish.status).toBe(200);
    // Alone in its WABA: like Meta's coexistence event, only the WABA id.
    expect(finish.body.phoneNumberId).toBeNull();
    const added = await waitFor(() => receiver.received.find((r) => changeOf(r).value.event === "PARTNER_ADDED"));
    expect(added.json.entry[0]!.id).toBe(finish.body.wabaId);

    const { accessToken } = await graph.exchangeCode({ code: finish.body.code });
    const error = await graph.exchangeCode({ code: finish.body.code }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphApiError);
    expect((error as GraphApiError).hasCode(36009)).toBe(true);

    const [listed] = await graph.listPhoneNumbers({ wabaId: finish.body.wabaId, token: accessToken });
    expect(listed).toMatchObject({ displayPhoneNumber: "15550107777", verifiedName: "Second Shop" });
    await graph.subscribeApp({ wabaId: finish.body.wabaId, token: accessToken });
    const contacts = await graph.requestSync({ phoneNumberId: listed!.id, token: accessToken, syncType: "smb_app_state_sync" });
    const history = await graph.requestSync({ phoneNumberId: listed!.id, token: accessToken, syncType: "history" });
    expect(contacts.requestId).not.toBe(history.requestId);
    const again = await graph
      .requestSync({ phoneNumberId: listed!.id, token: accessToken, syncType: "history" })
      .catch((e: unknown) => e);
    expect((again as GraphApiError).hasCode(2593107)).toBe(true);

    const extra = await waitFor(async () => {
      const state = await getJson<{
        extraNumbers: { phoneNumberId: string; syncs: { history: { finishedAt: string | null; messagesTotal: number } } }[];
      }>(`${url}/sandbox/api/state`);
      const found = state.extraNumbers[0];
      return found?.syncs.history?.finishedAt ? found : false;
    });
    const chunks = ofField(receiver.received, "history").filter(
      (r) => changeOf(r).value.metadata?.phone_number_id === listed!.id,
    );
    const sent = chunks
      .flatMap((r) => changeOf(r).value.history ?? [])
      .flatMap((h) => h.threads ?? [])
      .flatMap((t) => t.messages);
    expect(sent.length).toBe(extra.syncs.history.messagesTotal);
    for (const r of chunks) expect(isValidSignature(r.raw, String(r.headers["x-hub-signature-256"]), appSecret)).toBe(true);

    // Media follow-ups of this number are downloadable with its own token.
    const media = chunks
      .flatMap((r) => changeOf(r).value.messages ?? changeOf(r).value.message_echoes ?? [])
      .find((m) => m.image);
    const info = await fetch(`${url}/v24.0/${media!.image!.id}`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(info.status).toBe(200);
    const { url: download } = (await info.json()) as { url: string };
    expect((await fetch(download, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
    await sandbox.close();
  });

  it("refuses a code after 30 seconds, and syncs after 24 hours with 2593108", async () => {
    const { url, graph, advance } = await setup();
    const late = await post<Finish>(`${url}/embedded-signup/api/finish`, newNumber("15550108888"));
    advance(31_000);
    const expired = await graph.exchangeCode({ code: late.body.code }).catch((e: unknown) => e);
    expect((expired as GraphApiError).hasCode(36007)).toBe(true);

    const fresh = await post<Finish>(`${url}/embedded-signup/api/finish`, newNumber("15550108889"));
    const { accessToken } = await graph.exchangeCode({ code: fresh.body.code });
    const [listed] = await graph.listPhoneNumbers({ wabaId: fresh.body.wabaId, token: accessToken });
    advance(24 * 60 * 60 * 1000 + 1000);
    const tooLate = await graph
      .requestSync({ phoneNumberId: listed!.id, token: accessToken, syncType: "history" })
      .catch((e: unknown) => e);
    expect((tooLate as GraphApiError).hasCode(2593108)).toBe(true);
  });

  it("a number added to the demo WABA is named in the completion, and a declined history says 2593109", async () => {
    const { url, graph, receiver } = await setup();
    const finish = await post<Finish>(`${url}/embedded-signup/api/finish`, {
      ...newNumber("15550109999", { isInDemoWaba: true }),
      historyChoice: "decline",
    });
    expect(finish.body.wabaId).toBe(demoNumber.wabaId);
    expect(finish.body.phoneNumberId).not.toBeNull();
    const { accessToken } = await graph.exchangeCode({ code: finish.body.code });
    const listed = await graph.listPhoneNumbers({ wabaId: demoNumber.wabaId, token: accessToken });
    expect(listed.map((n) => n.displayPhoneNumber).sort()).toEqual([demoNumber.displayPhoneNumber, "15550109999"].sort());
    await graph.requestSync({ phoneNumberId: finish.body.phoneNumberId!, token: accessToken, syncType: "history" });
    const declined = await waitFor(() =>
      ofField(receiver.received, "history").find(
        (r) => changeOf(r).value.metadata?.phone_number_id === finish.body.phoneNumberId,
      ),
    );
    expect(changeOf(declined).value.history?.[0]?.errors?.[0]?.code).toBe(2593109);
  });

  it("rejects an app or configuration the sandbox does not know", async () => {
    const { url } = await setup();
    const wrong = await post<{ error: { code: string } }>(`${url}/embedded-signup/api/finish`, {
      ...newNumber("15550106666"),
      configId: "123",
    });
    expect(wrong).toMatchObject({ status: 400, body: { error: { code: "INVALID_APP" } } });
  });
});
