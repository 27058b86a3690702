import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { demoNumber } from "@/lib/demo";
import { isValidSignature } from "@/lib/whatsapp/signature";
import {
  appSecret,
  getJson,
  onCleanup,
  post,
  type Received,
  runCleanups,
  sleep,
  startReceiver,
  startSandbox,
  statusDelayMs,
  waitFor,
} from "./test-support";

afterEach(runCleanups);

type GraphAnswer = {
  messages: { id: string }[];
  error: { code: number; type: string; message: string; error_data: { details: string } };
};
type PhoneAnswer = { wamid: string; error: { code: string } };
type ThreadAnswer = { windowOpenUntil: string | null; messages: { text: string; webhook?: string }[] };

function sendText(sandboxUrl: string, to: string, body: string, token: string = demoNumber.accessToken) {
  return post<GraphAnswer>(
    `${sandboxUrl}/v24.0/${demoNumber.phoneNumberId}/messages`,
    { messaging_product: "whatsapp", recipient_type: "individual", to, type: "text", text: { body } },
    { authorization: `Bearer ${token}` },
  );
}

const sendAsCustomer = (sandboxUrl: string, input: { waId: string; name?: string; text: string }) =>
  post<PhoneAnswer>(`${sandboxUrl}/phone/api/messages`, input);

const statusesFor = (received: Received[], wamid: string) =>
  received.flatMap((r) => (r.json.entry[0]!.changes[0]!.value.statuses ?? []).filter((s) => s.id === wamid));

describe("Graph API", () => {
  it("rejects a send with a bad token with 401 code 190 in Meta's error shape", async () => {
    const receiver = await startReceiver();
    const { url } = await startSandbox(receiver.url);

    const { status, body } = await sendText(url, "16505551234", "Hi", "not-the-token");

    expect(status).toBe(401);
    expect(body).toEqual({
      error: {
        message: "Invalid OAuth access token - Cannot parse access token",
        type: "OAuthException",
        code: 190,
        fbtrace_id: expect.any(String),
      },
    });
  });

  it("rejects an unknown phone number id with code 100 and an invalid body with error_data", async () => {
    const receiver = await startReceiver();
    const { url } = await startSandbox(receiver.url);
    const auth = { authorization: `Bearer ${demoNumber.accessToken}` };

    const unknown = await post<GraphAnswer>(
      `${url}/v21.0/999/messages`,
      { messaging_product: "whatsapp", to: "1", text: { body: "x" } },
      auth,
    );
    const missingTo = await post<GraphAnswer>(
      `${url}/v24.0/${demoNumber.phoneNumberId}/messages`,
      { messaging_product: "whatsapp" },
      auth,
    );
    const tooLong = await sendText(url, "16505551234", "x".repeat(4097));
    const sticker = await post<GraphAnswer>(
      `${url}/v24.0/${demoNumber.phoneNumberId}/messages`,
      { messaging_product: "whatsapp", to: "16505551234", type: "sticker", sticker: { id: "1" } },
      auth,
    );

    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ type: "GraphMethodException", code: 100 });
    expect(unknown.body.error.message).toContain("Object with ID '999' does not exist");
    expect(missingTo.status).toBe(400);
    expect(missingTo.body.error).toMatchObject({
      code: 100,
      message: "(#100) The parameter to is required.",
      error_data: { messaging_product: "whatsapp", details: "The parameter to is required." },
    });
    expect(tooLong.body.error.error_data.details).toBe("Param text['body'] must be at most 4096 characters long.");
    expect(sticker.status).toBe(400);
    expect(sticker.body.error.code).toBe(131009);
    expect(receiver.received).toHaveLength(0);
  });

  it("after a customer message, a send returns a wamid and produces signed sent, delivered, read statuses in order", async () => {
    const receiver = await startReceiver();
    const { url } = await startSandbox(receiver.url);
    await sendAsCustomer(url, { waId: "16505551234", text: "Is my order on its way?" });

    const { status, body } = await sendText(url, "+16505551234", "Yes, it ships today.");

    expect(status).toBe(200);
    expect(body).toEqual({
      messaging_product: "whatsapp",
      contacts: [{ input: "+16505551234", wa_id: "16505551234" }],
      messages: [{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9+/=]+$/) }],
    });
    const wamid: string = body.messages[0]!.id;
    const statuses = await waitFor(() => {
      const found = statusesFor(receiver.received, wamid);
      return found.length === 3 && found;
    });
    expect(statuses.map((s) => s.status)).toEqual(["sent", "delivered", "read"]);
    expect(statuses[0]).toEqual({
      id: wamid,
      status: "sent",
      timestamp: expect.stringMatching(/^\d+$/),
      recipient_id: "16505551234",
      pricing: { billable: true, pricing_model: "PMP", type: "free_customer_service", category: "service" },
    });
    for (const delivery of receiver.received) {
      expect(isValidSignature(delivery.raw, String(delivery.headers["x-hub-signature-256"]), appSecret)).toBe(true);
    }
    const thread = await getJson<ThreadAnswer>(`${url}/phone/api/thread?waId=16505551234`);
    expect(thread.messages.at(-1)).toMatchObject({ from: "business", wamid, text: "Yes, it ships today.", status: "read" });
  });

  it("a send to a customer who never wrote produces a single failed status with code 131047", async () => {
    const receiver = await startReceiver();
    const { url } = await startSandbox(receiver.url);

    const { status, body } = await sendText(url, "447700900123", "Hello there");
    const wamid: string = body.messages[0]!.id;
    await waitFor(() => statusesFor(receiver.received, wamid).length > 0);
    await sleep(statusDelayMs * 4);

    expect(status).toBe(200);
    const statuses = statusesFor(receiver.received, wamid);
    expect(statuses).toHaveLength(1);
    expect(statuses[0]).toMatchObject({
      status: "failed",
      recipient_id: "447700900123",
      errors: [
        {
          code: 131047,
          title: "Re-engagement message",
          message: "Re-engagement message",
          error_data: {
            details:
              "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
          },
          href: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
        },
      ],
    });
    const thread = await getJson<ThreadAnswer>(`${url}/phone/api/thread?waId=447700900123`);
    expect(thread.messages).toEqual([]);
  });

  it("a free-form send more than 24 hours after the customer's last message fails, a template still goes out", async () => {
    const receiver = await startReceiver();
    let clock = new Date("2026-03-01T10:00:00Z");
    const { url } = await startSandbox(receiver.url, { now: () => clock });
    await sendAsCustomer(url, { waId: "5511987654321", text: "Oi" });
    clock = new Date("2026-03-02T10:00:01Z");

    const text = await sendText(url, "5511987654321", "Still there?");
    const template = await post<GraphAnswer>(
      `${url}/v24.0/${demoNumber.phoneNumberId}/messages`,
      {
        messaging_product: "whatsapp",
        to: "5511987654321",
        type: "template",
        template: {
          name: "follow_up",
          language: { code: "en_US" },
          components: [{ type: "body", parameters: [{ type: "text", text: "Ana" }] }],
        },
      },
      { authorization: `Bearer ${demoNumber.accessToken}` },
    );

    const failed = await waitFor(() => statusesFor(receiver.received, text.body.messages[0]!.id)[0]);
    const sent = await waitFor(() =>
      statusesFor(receiver.received, template.body.messages[0]!.id).find((s) => s.status === "sent"),
    );
    expect(failed.errors?.[0]?.code).toBe(131047);
    expect(sent).toMatchObject({ status: "sent", pricing: { type: "regular" } });
  });
});

describe("phone simulator", () => {
  it("sends a customer message as a Meta messages webhook signed over the exact bytes", async () => {
    const receiver = await startReceiver();
    const { url } = await startSandbox(receiver.url);

    const { status, body } = await sendAsCustomer(url, {
      waId: "16505551234",
      name: "Sheena Nelson",
      text: "Olá, está disponível? 😀",
    });

    expect(status).toBe(200);
    expect(body).toMatchObject({ wamid: expect.stringMatching(/^wamid\./), delivered: true, status: 200 });
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery!.headers["content-type"]).toBe("application/json");
    expect(isValidSignature(delivery!.raw, String(delivery!.headers["x-hub-signature-256"]), appSecret)).toBe(true);
    // Meta escapes non-ASCII, so the signed bytes are pure ASCII.
    expect(delivery!.raw.toString("latin1")).toContain("Ol\\u00e1, est\\u00e1 dispon\\u00edvel? \\ud83d\\ude00");
    expect(delivery!.json).toEqual({
      object: "whatsapp_business_account",
      entry: [
        {
          id: demoNumber.wabaId,
          changes: [
            {
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: demoNumber.displayPhoneNumber, phone_number_id: demoNumber.phoneNumberId },
                contacts: [{ profile: { name: "Sheena Nelson" }, wa_id: "16505551234" }],
                messages: [
                  {
                    from: "16505551234",
                    id: body.wamid,
                    timestamp: expect.stringMatching(/^\d+$/),
                    type: "text",
                    text: { body: "Olá, está disponível? 😀" },
                  },
                ],
              },
              field: "messages",
            },
          ],
        },
      ],
    });
  });

  it("retries a webhook that Tandem did not acknowledge, with the same bytes", async () => {
    const receiver = await startReceiver((attempt) => (attempt === 1 ? 500 : 200));
    const { url } = await startSandbox(receiver.url);

    const { body } = await sendAsCustomer(url, { waId: "16505551234", text: "Anyone there?" });
    await waitFor(() => receiver.received.length === 2);

    expect(body).toMatchObject({ delivered: false, status: 500, message: { webhook: "retrying", webhookHttpStatus: 500 } });
    expect(receiver.received[1]!.raw.equals(receiver.received[0]!.raw)).toBe(true);
    const thread = await waitFor(async () => {
      const current = await getJson<ThreadAnswer>(`${url}/phone/api/thread?waId=16505551234`);
      return current.messages[0]?.webhook === "acknowledged" && current;
    });
    expect(thread.messages[0]).toMatchObject({ text: "Anyone there?", webhookHttpStatus: 200 });
  });

  it("pushes new messages of the chosen customer over server-sent events", async () => {
    const receiver = await startReceiver();
    const { url } = await startSandbox(receiver.url);
    const response = await fetch(`${url}/phone/api/events?waId=447700900123`);
    const reader = response.body!.getReader();

    await sendAsCustomer(url, { waId: "447700900123", text: "Ping" });
    let text = "";
    while (!text.includes('"text":"Ping"')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();

    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(text).toContain("event: message");
  });

  it("answers bad input with a 400 JSON error and unknown routes with 404", async () => {
    const receiver = await startReceiver();
    const { url } = await startSandbox(receiver.url);

    const noName = await sendAsCustomer(url, { waId: "49151000000", text: "Hi" });
    const badWaId = await sendAsCustomer(url, { waId: "+1 650", name: "X", text: "Hi" });
    const notJson = await fetch(`${url}/phone/api/messages`, { method: "POST", body: "{" });
    const thread = await fetch(`${url}/phone/api/thread`);
    const unknown = await fetch(`${url}/nope`);

    expect(noName.status).toBe(400);
    expect(noName.body.error.code).toBe("VALIDATION");
    expect(badWaId.status).toBe(400);
    expect(notJson.status).toBe(400);
    expect(thread.status).toBe(400);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: "NOT_FOUND", message: "No route for GET /nope" } });
    expect(receiver.received).toHaveLength(0);
  });

  it("keeps customers, threads and the window across a restart when a state file is set", async () => {
    const receiver = await startReceiver();
    const dir = await mkdtemp(path.join(tmpdir(), "tandem-sandbox-"));
    onCleanup(() => rm(dir, { recursive: true, force: true }));
    const stateFile = path.join(dir, "state.json");
    const first = await startSandbox(receiver.url, { stateFile });
    await sendAsCustomer(first.url, { waId: "4915112345678", name: "Lena Vogel", text: "Hallo" });
    await first.sandbox.close();

    const second = await startSandbox(receiver.url, { stateFile });
    const customers = await getJson<{ customers: unknown[] }>(`${second.url}/phone/api/customers`);
    const thread = await getJson<ThreadAnswer>(`${second.url}/phone/api/thread?waId=4915112345678`);

    expect(customers.customers).toContainEqual({ waId: "4915112345678", name: "Lena Vogel" });
    expect(thread.messages.map((m) => m.text)).toEqual(["Hallo"]);
    expect(thread.windowOpenUntil).not.toBeNull();
  });
});
