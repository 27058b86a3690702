import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { demoCustomers, demoNumber } from "@/lib/demo";
import { accountUpdate, historyDeclined } from "@/lib/whatsapp/fixtures/build";
import { isValidSignature } from "@/lib/whatsapp/signature";
import { addressBook } from "./history-script";
import {
  appSecret,
  auth,
  changeOf,
  getJson,
  ofField,
  onCleanup,
  post,
  type Received,
  runCleanups,
  sleep,
  startReceiver,
  startSandbox,
  waitFor,
} from "./test-support";

afterEach(runCleanups);

const customer = demoCustomers[0];
const metadata = { display_phone_number: demoNumber.displayPhoneNumber, phone_number_id: demoNumber.phoneNumberId };
const daySeconds = 24 * 60 * 60;

type SentAnswer = {
  wamid: string;
  delivered: boolean;
  status: number | null;
  suppressed: boolean;
  mediaId?: string;
  message: { from: string; origin?: string; text: string; editedAt: string | null; revokedAt: string | null };
  error: { code: string; message: string };
};
type GraphAnswer = {
  messaging_product: string;
  request_id: string;
  messages: { id: string }[];
  error: { code: number; error_subcode?: number; message: string; type: string };
};
type MediaInfo = { messaging_product: string; url: string; mime_type: string; sha256: string; file_size: number; id: string };
type ControlState = {
  number: { onboardedAt: string; account: { status: string; lastEvent: string | null } };
  syncs: {
    contacts: { via: string; finishedAt: string | null } | null;
    history: { progress: number | null; finishedAt: string | null } | null;
  };
  webhooks: { field: string; summary: string; state: string }[];
};

const phoneApi = <T = SentAnswer>(url: string, action: string, body: unknown) =>
  post<T>(`${url}/phone/api/messages${action ? `/${action}` : ""}`, body);

const smbAppData = (url: string, syncType: string, headers: Record<string, string> = auth) =>
  post<GraphAnswer>(
    `${url}/v24.0/${demoNumber.phoneNumberId}/smb_app_data`,
    { messaging_product: "whatsapp", sync_type: syncType },
    headers,
  );

function expectSigned(received: Received[]) {
  for (const delivery of received) {
    expect(isValidSignature(delivery.raw, String(delivery.headers["x-hub-signature-256"]), appSecret)).toBe(true);
  }
}

const sha256 = (bytes: Buffer, encoding: "hex" | "base64") => createHash("sha256").update(bytes).digest(encoding);

async function download(url: string, mediaId: string) {
  const info = await getJson<MediaInfo>(`${url}/v24.0/${mediaId}?phone_number_id=${demoNumber.phoneNumberId}`, auth);
  const response = await fetch(info.url, { headers: auth });
  return { info, response, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe("business app side", () => {
  it("sends a business-app message as a signed smb_message_echoes webhook in Meta's shape", async () => {
    const receiver = await startReceiver();
    const { url } = await startSandbox(receiver.url);

    const { status, body } = await phoneApi(url, "", {
      waId: customer.waId,
      text: "Olá! Your order is ready 🎉",
      side: "business",
    });

    expect(status).toBe(200);
    expect(body).toMatchObject({ delivered: true, status: 200, message: { from: "business", origin: "app" } });
    expect(receiver.received).toHaveLength(1);
    expectSigned(receiver.received);
    expect(receiver.received[0]!.raw.toString("latin1")).toContain("Ol\\u00e1! Your order is ready \\ud83c\\udf89");
    expect(receiver.received[0]!.json).toEqual({
      object: "whatsapp_business_account",
      entry: [
        {
          id: demoNumber.wabaId,
          changes: [
            {
              value: {
                messaging_product: "whatsapp",
                metadata,
                message_echoes: [
                  {
                    from: demoNumber.displayPhoneNumber,
                    to: customer.waId,
                    id: body.wamid,
                    timestamp: expect.stringMatching(/^\d+$/),
                    type: "text",
                    text: { body: "Olá! Your order is ready 🎉" },
                  },
                ],
              },
              field: "smb_message_echoes",
            },
          ],
        },
      ],
    });
    // Echoes do not open the 24-hour window.
    const thread = await getJson<{ windowOpenUntil: string | null }>(`${url}/phone/api/thread?waId=${customer.waId}`);
    expect(thread.windowOpenUntil).toBeNull();
  });

  it("shows agent replies sent through the API on the business side, marked as sent via the API", async () => {
    const receiver = await startReceiver();
    const { url } = await startSandbox(receiver.url);
    await phoneApi(url, "", { waId: customer.waId, text: "Hi" });

    const sent = await post<GraphAnswer>(
      `${url}/v24.0/${demoNumber.phoneNumberId}/messages`,
      { messaging_product: "whatsapp", to: customer.waId, type: "text", text: { body: "Hello from Tandem" } },
      auth,
    );
    const thread = await getJson<{ messages: { wamid: string; from: string; origin?: string }[] }>(
      `${url}/phone/api/thread?waId=${customer.waId}`,
    );

    expect(thread.messages.find((m) => m.wamid === sent.body.messages[0]!.id)).toMatchObject({ from: "business", origin: "api" });
  });
});

describe("edits and deletes", () => {
  it("customer edits and deletes arrive as messages webhooks of type edit and revoke", async () => {
    const receiver = await startReceiver();
    const { url } = await startSandbox(receiver.url);
    const original = await phoneApi(url, "", { waId: customer.waId, text: "Can I pick it up tomorow?" });

    const edit = await phoneApi(url, "edit", {
      waId: customer.waId,
      wamid: original.body.wamid,
      text: "Can I pick it up tomorrow?",
      side: "customer",
    });
    const revoke = await phoneApi(url, "delete", { waId: customer.waId, wamid: original.body.wamid, side: "customer" });

    expect(edit.status).toBe(200);
    expect(revoke.status).toBe(200);
    expect(receiver.received).toHaveLength(3);
    expectSigned(receiver.received);
    const [, editHook, revokeHook] = receiver.received;
    expect(changeOf(editHook!)).toEqual({
      field: "messages",
      value: {
        messaging_product: "whatsapp",
        metadata,
        contacts: [{ profile: { name: customer.name }, wa_id: customer.waId }],
        messages: [
          {
            from: customer.waId,
            id: edit.body.wamid,
            timestamp: expect.stringMatching(/^\d+$/),
            type: "edit",
            edit: {
              original_message_id: original.body.wamid,
              message: { context: { id: "M0" }, type: "text", text: { body: "Can I pick it up tomorrow?" } },
            },
          },
        ],
      },
    });
    expect(changeOf(revokeHook!).value.messages).toEqual([
      {
        from: customer.waId,
        id: revoke.body.wamid,
        timestamp: expect.stringMatching(/^\d+$/),
        type: "revoke",
        revoke: { original_message_id: original.body.wamid },
      },
    ]);
    expect(new Set([original.body.wamid, edit.body.wamid, revoke.body.wamid]).size).toBe(3);
    expect(revoke.body.message).toMatchObject({ editedAt: expect.any(String), revokedAt: expect.any(String), text: "" });
  });

  it("business edits and deletes arrive as smb_message_echoes of type edit and revoke, image captions included", async () => {
    const receiver = await startReceiver();
    const { url } = await startSandbox(receiver.url);
    const photo = await phoneApi(url, "photo", { waId: customer.waId, side: "business", caption: "New stok" });
    const text = await phoneApi(url, "", { waId: customer.waId, side: "business", text: "See you at 5" });

    const edit = await phoneApi(url, "edit", {
      waId: customer.waId,
      wamid: photo.body.wamid,
      text: "New stock",
      side: "business",
    });
    const revoke = await phoneApi(url, "delete", { waId: customer.waId, wamid: text.body.wamid, side: "business" });

    expectSigned(receiver.received);
    const image = changeOf(receiver.received[0]!).value.message_echoes![0]!.image;
    expect(changeOf(receiver.received[2]!)).toEqual({
      field: "smb_message_echoes",
      value: {
        messaging_product: "whatsapp",
        metadata,
        message_echoes: [
          {
            from: demoNumber.displayPhoneNumber,
            to: customer.waId,
            id: edit.body.wamid,
            timestamp: expect.stringMatching(/^\d+$/),
            type: "edit",
            edit: {
              original_message_id: photo.body.wamid,
              message: { context: { id: "M0" }, type: "image", image: { ...image, caption: "New stock" } },
            },
          },
        ],
      },
    });
    expect(changeOf(receiver.received[3]!).value.message_echoes).toEqual([
      {
        from: demoNumber.displayPhoneNumber,
        to: customer.waId,
        id: revoke.body.wamid,
        timestamp: expect.stringMatching(/^\d+$/),
        type: "revoke",
        revoke: { original_message_id: text.body.wamid },
      },
    ]);
  });

  it("only lets each side change its own messages, within WhatsApp's time limits", async () => {
    const receiver = await startReceiver();
    let clock = new Date("2026-05-04T09:00:00Z");
    const { url } = await startSandbox(receiver.url, { now: () => clock });
    const mine = await phoneApi(url, "", { waId: customer.waId, text: "Hello" });
    const sent = await post<GraphAnswer>(
      `${url}/v24.0/${demoNumber.phoneNumberId}/messages`,
      { messaging_product: "whatsapp", to: customer.waId, type: "text", text: { body: "Agent reply" } },
      auth,
    );
    const apiWamid = sent.body.messages[0]!.id;

    const byBusiness = await phoneApi(url, "edit", { waId: customer.waId, wamid: mine.body.wamid, text: "x", side: "business" });
    const apiMessage = await phoneApi(url, "delete", { waId: customer.waId, wamid: apiWamid, side: "business" });
    clock = new Date("2026-05-04T09:16:00Z");
    const late = await phoneApi(url, "edit", { waId: customer.waId, wamid: mine.body.wamid, text: "Hello!", side: "customer" });
    const unknown = await phoneApi(url, "delete", { waId: customer.waId, wamid: "wamid.nope", side: "customer" });

    expect(byBusiness).toMatchObject({ status: 403, body: { error: { code: "NOT_OWN_MESSAGE" } } });
    expect(apiMessage).toMatchObject({ status: 403, body: { error: { code: "NOT_OWN_MESSAGE" } } });
    expect(late).toMatchObject({ status: 409, body: { error: { code: "EDIT_WINDOW_PASSED" } } });
    expect(unknown.status).toBe(404);
  });
});

describe("media", () => {
  it("sends a customer photo with Meta's image object and serves it behind the token", async () => {
    const receiver = await startReceiver();
    const { url } = await startSandbox(receiver.url);

    const photo = await phoneApi(url, "photo", { waId: customer.waId, caption: "Does it come in blue?", seed: 7 });
    const mediaId = photo.body.mediaId!;
    const message = changeOf(receiver.received[0]!).value.messages![0]!;
    const noToken = await fetch(`${url}/v24.0/${mediaId}`);
    const unknown = await fetch(`${url}/v24.0/999000111`, { headers: auth });
    const { info, response, bytes } = await download(url, mediaId);
    const downloadWithoutToken = await fetch(info.url);

    expect(message).toEqual({
      from: customer.waId,
      id: photo.body.wamid,
      timestamp: expect.stringMatching(/^\d+$/),
      type: "image",
      image: { caption: "Does it come in blue?", mime_type: "image/png", sha256: expect.any(String), id: mediaId },
    });
    expect(noToken.status).toBe(401);
    expect(((await noToken.json()) as GraphAnswer).error.code).toBe(190);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as GraphAnswer).error).toMatchObject({ code: 100, type: "GraphMethodException" });
    expect(info).toEqual({
      messaging_product: "whatsapp",
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/media-download\/[\w.-]+$/),
      mime_type: "image/png",
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      file_size: bytes.length,
      id: mediaId,
    });
    expect(downloadWithoutToken.status).toBe(401);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(bytes.subarray(0, 8).toString("latin1")).toBe("\x89PNG\r\n\x1a\n");
    expect(sha256(bytes, "hex")).toBe(info.sha256);
    expect(sha256(bytes, "base64")).toBe(message.image!.sha256);
  });

  it("sends a business photo without caption as an image echo without caption, and expires download URLs", async () => {
    const receiver = await startReceiver();
    let clock = new Date("2026-05-04T09:00:00Z");
    const { url } = await startSandbox(receiver.url, { now: () => clock });

    const photo = await phoneApi(url, "photo", { waId: customer.waId, side: "business" });
    const info = await getJson<MediaInfo>(`${url}/v24.0/${photo.body.mediaId}`, auth);
    clock = new Date("2026-05-04T09:06:00Z");
    const expired = await fetch(info.url, { headers: auth });

    expect(changeOf(receiver.received[0]!).value.message_echoes![0]).toEqual({
      from: demoNumber.displayPhoneNumber,
      to: customer.waId,
      id: photo.body.wamid,
      timestamp: expect.stringMatching(/^\d+$/),
      type: "image",
      image: { mime_type: "image/png", sha256: expect.any(String), id: photo.body.mediaId },
    });
    expect(expired.status).toBe(404);
  });
});

describe("onboarding syncs", () => {
  it("smb_app_data accepts each sync type once, then answers 2593107", async () => {
    const receiver = await startReceiver();
    const { url } = await startSandbox(receiver.url);

    const badToken = await smbAppData(url, "smb_app_state_sync", { authorization: "Bearer nope" });
    const badType = await smbAppData(url, "everything");
    const contacts = await smbAppData(url, "smb_app_state_sync");
    const again = await smbAppData(url, "smb_app_state_sync");
    const history = await smbAppData(url, "history");

    expect(badToken.status).toBe(401);
    expect(badToken.body.error.code).toBe(190);
    expect(badType.status).toBe(400);
    expect(badType.body.error.code).toBe(100);
    expect(contacts).toEqual({
      status: 200,
      body: { messaging_product: "whatsapp", request_id: expect.stringMatching(/^\w{16,}$/) },
    });
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({
      code: 2593107,
      message: "You have exceeded the maximum number of times to call the synchronization api for this phone number.",
    });
    expect(history.status).toBe(200);
    expect(history.body.request_id).not.toBe(contacts.body.request_id);
  });

  it("smb_app_data answers 2593108 more than 24 hours after onboarding; a reset re-onboards", async () => {
    const receiver = await startReceiver();
    let clock = new Date("2026-05-04T09:00:00Z");
    const { url } = await startSandbox(receiver.url, { now: () => clock });
    clock = new Date("2026-05-05T09:00:01Z");

    const late = await smbAppData(url, "history");
    await post(`${url}/sandbox/api/reset`, {});
    const afterReset = await smbAppData(url, "history");

    expect(late.status).toBe(400);
    expect(late.body.error).toMatchObject({
      code: 2593108,
      message: "Synchronization request can only be made within 24 hours of onboarding",
    });
    expect(afterReset.status).toBe(200);
  });

  it("delivers the address book as smb_app_state_sync webhooks with the business's own names", async () => {
    const receiver = await startReceiver();
    const { url } = await startSandbox(receiver.url);

    await smbAppData(url, "smb_app_state_sync");
    const state = await waitFor(async () => {
      const current = await getJson<ControlState>(`${url}/sandbox/api/state`);
      return current.syncs.contacts?.finishedAt ? current : false;
    });

    const syncs = ofField(receiver.received, "smb_app_state_sync");
    expectSigned(syncs);
    const items = syncs.flatMap((r) => changeOf(r).value.state_sync!);
    expect(items).toHaveLength(addressBook.length);
    expect(changeOf(syncs[0]!).value).toMatchObject({ messaging_product: "whatsapp", metadata });
    for (const demo of demoCustomers) {
      const item = items.find((i) => i.contact.phone_number === demo.waId);
      expect(item).toMatchObject({ type: "contact", action: "add", metadata: { timestamp: expect.stringMatching(/^\d+$/) } });
      expect(item!.contact.full_name).not.toBe(demo.name);
    }
    expect(state.syncs.contacts).toMatchObject({ via: "graph" });
  });

  it("delivers the history in phased chunks out of order, progress rising to 100, then media follow-ups for recent placeholders only", async () => {
    const receiver = await startReceiver();
    const onboardedAt = new Date("2026-05-04T09:00:00Z");
    const { url } = await startSandbox(receiver.url, { now: () => onboardedAt });

    await smbAppData(url, "history");
    await waitFor(async () => (await getJson<ControlState>(`${url}/sandbox/api/state`)).syncs.history?.finishedAt);

    const webhooks = ofField(receiver.received, "history");
    expectSigned(webhooks);
    const chunks = webhooks.filter((r) => changeOf(r).value.history).map((r) => changeOf(r).value.history![0]!);
    const followUps = webhooks.filter((r) => !changeOf(r).value.history).map((r) => changeOf(r).value);
    // Chunks first, then follow-ups.
    expect(webhooks.slice(0, chunks.length).every((r) => changeOf(r).value.history)).toBe(true);

    const order = chunks.map((c) => [c.metadata!.phase, c.metadata!.chunk_order]);
    expect(order).toEqual([
      [0, 2],
      [0, 1],
      [1, 2],
      [1, 1],
      [1, 3],
      [2, 2],
      [2, 1],
    ]);
    const progress = chunks.map((c) => c.metadata!.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(100);

    const onboarded = onboardedAt.getTime() / 1000;
    const messages = chunks.flatMap((c) =>
      c.threads!.flatMap((t) => t.messages.map((m) => ({ ...m, thread: t.id, phase: c.metadata!.phase }))),
    );
    expect(messages.length).toBeGreaterThanOrEqual(36);
    expect(new Set(chunks.flatMap((c) => c.threads!.map((t) => t.id))).size).toBeGreaterThanOrEqual(6);
    for (const demo of demoCustomers) expect(messages.some((m) => m.thread === demo.waId)).toBe(true);
    for (const m of messages) {
      const age = onboarded - Number(m.timestamp);
      expect(age).toBeGreaterThan(0);
      expect(age).toBeLessThan(180 * daySeconds);
      expect(m.phase).toBe(age < daySeconds ? 0 : age < 90 * daySeconds ? 1 : 2);
      const isBusiness = m.from === demoNumber.displayPhoneNumber;
      expect(isBusiness ? m.to : m.from).toBe(m.thread);
      if (!isBusiness) expect(m.to).toBeUndefined();
      expect(["DELIVERED", "ERROR", "PENDING", "PLAYED", "READ", "SENT"]).toContain(m.history_context.status);
    }
    expect(new Set(messages.map((m) => m.history_context.status)).size).toBeGreaterThanOrEqual(4);
    expect(messages.some((m) => m.from === demoNumber.displayPhoneNumber)).toBe(true);

    const placeholders = messages.filter((m) => m.type === "media_placeholder");
    const recent = placeholders.filter((m) => onboarded - Number(m.timestamp) <= 14 * daySeconds);
    expect(recent.length).toBeGreaterThan(0);
    expect(placeholders.length).toBeGreaterThan(recent.length);
    const followUpMessages = followUps.flatMap((v) => [...(v.messages ?? []), ...(v.message_echoes ?? [])]);
    expect(followUpMessages.map((m) => m.id).sort()).toEqual(recent.map((m) => m.id).sort());

    for (const value of followUps) {
      expect(Object.keys(value).sort()).toEqual(
        ["messaging_product", "metadata", value.messages ? "messages" : "message_echoes"].sort(),
      );
      const [media] = (value.messages ?? value.message_echoes)!;
      const placeholder = recent.find((m) => m.id === media!.id)!;
      expect(media).toMatchObject({ from: placeholder.from, timestamp: placeholder.timestamp, type: "image" });
      if (value.message_echoes) expect(media!.to).toBe(placeholder.to);
      const { bytes } = await download(url, media!.image!.id);
      expect(sha256(bytes, "hex")).toBe(media!.image!.sha256);
    }
  });

  it("delivers the 2593109 webhook when the business declines to share its history", async () => {
    const receiver = await startReceiver();
    const { url } = await startSandbox(receiver.url);

    const run = await post<{ requestId: string }>(`${url}/sandbox/api/sync`, { kind: "history", choice: "decline" });
    await waitFor(() => ofField(receiver.received, "history").length === 1);
    await sleep(20);

    expect(run.status).toBe(202);
    const webhooks = ofField(receiver.received, "history");
    expect(webhooks).toHaveLength(1);
    expectSigned(webhooks);
    expect(webhooks[0]!.json).toEqual(historyDeclined(demoNumber));
    expect(changeOf(webhooks[0]!).value.history![0]!.errors![0]!.code).toBe(2593109);
  });

  it("counts a sync run from the control page as used, so smb_app_data then answers 2593107", async () => {
    const receiver = await startReceiver();
    const { url } = await startSandbox(receiver.url);

    const run = await post(`${url}/sandbox/api/sync`, { kind: "contacts" });
    const twice = await post<{ error: { code: string } }>(`${url}/sandbox/api/sync`, { kind: "contacts" });
    const graph = await smbAppData(url, "smb_app_state_sync");

    expect(run.status).toBe(202);
    expect(twice).toMatchObject({ status: 409, body: { error: { code: "SYNC_ALREADY_USED" } } });
    expect(graph.body.error.code).toBe(2593107);
  });
});

describe("lifecycle", () => {
  it("sends account_update webhooks routed by WABA, with entry time and without metadata", async () => {
    const receiver = await startReceiver();
    const clock = new Date("2026-05-04T09:00:00Z");
    const { url } = await startSandbox(receiver.url, { now: () => clock });

    const removed = await post(`${url}/sandbox/api/lifecycle`, {
      event: "PARTNER_REMOVED",
      reason: "PRIMARY_INACTIVITY",
      initiatedBy: "SYSTEM",
    });
    for (const event of [
      "ACCOUNT_OFFBOARDED",
      "ACCOUNT_RECONNECTED",
      "PARTNER_APP_UNINSTALLED",
      "PARTNER_APP_INSTALLED",
      "PARTNER_ADDED",
    ]) {
      await post(`${url}/sandbox/api/lifecycle`, { event });
    }

    expect(removed).toMatchObject({ status: 200, body: { delivered: true, account: { status: "removed" } } });
    expect(receiver.received).toHaveLength(6);
    expectSigned(receiver.received);
    const time = clock.getTime() / 1000;
    expect(receiver.received[0]!.json).toEqual({
      object: "whatsapp_business_account",
      entry: [
        {
          id: demoNumber.wabaId,
          time,
          changes: [
            {
              field: "account_update",
              value: {
                event: "PARTNER_REMOVED",
                phone_number: demoNumber.displayPhoneNumber,
                waba_info: { waba_id: demoNumber.wabaId, owner_business_id: expect.stringMatching(/^\d+$/) },
                disconnection_info: { reason: "PRIMARY_INACTIVITY", initiated_by: "SYSTEM" },
              },
            },
          ],
        },
      ],
    });
    expect(receiver.received[1]!.json).toEqual(accountUpdate(demoNumber, { event: "ACCOUNT_OFFBOARDED", time }));
    for (const delivery of receiver.received) {
      expect(delivery.json.entry[0]!.id).toBe(demoNumber.wabaId);
      expect(delivery.json.entry[0]!.time).toBe(time);
      expect(Object.keys(changeOf(delivery).value)).not.toContain("metadata");
      expect(Object.keys(changeOf(delivery).value)).not.toContain("messaging_product");
    }
    expect(changeOf(receiver.received[3]!).value).toMatchObject({
      event: "PARTNER_APP_UNINSTALLED",
      waba_info: { partner_app_id: expect.stringMatching(/^\d+$/) },
    });
  });

  it("refuses sends with 133010 while offboarded and suppresses webhooks, until the number reconnects", async () => {
    const receiver = await startReceiver();
    const { url } = await startSandbox(receiver.url);
    await phoneApi(url, "", { waId: customer.waId, text: "Hi" });
    const send = () =>
      post<GraphAnswer>(
        `${url}/v24.0/${demoNumber.phoneNumberId}/messages`,
        { messaging_product: "whatsapp", to: customer.waId, type: "text", text: { body: "Reply" } },
        auth,
      );

    await post(`${url}/sandbox/api/lifecycle`, { event: "ACCOUNT_OFFBOARDED" });
    const refused = await send();
    const quiet = await phoneApi(url, "", { waId: customer.waId, text: "Hello?" });
    const sync = await smbAppData(url, "history");
    await post(`${url}/sandbox/api/lifecycle`, { event: "PARTNER_APP_UNINSTALLED" });
    const badToken = await send();
    await post(`${url}/sandbox/api/lifecycle`, { event: "PARTNER_APP_INSTALLED" });
    const accepted = await send();

    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 133010, message: "(#133010) Account not registered" });
    expect(quiet.body).toMatchObject({ delivered: false, suppressed: true, message: { webhook: "suppressed" } });
    expect(sync.body.error.code).toBe(133010);
    expect(badToken.status).toBe(401);
    expect(badToken.body.error).toMatchObject({ code: 190, error_subcode: 458 });
    expect(accepted.status).toBe(200);
    expect(ofField(receiver.received, "messages").flatMap((r) => changeOf(r).value.messages ?? [])).toHaveLength(1);
  });
});

describe("persistence", () => {
  it("keeps onboarding, sync flags and media across a restart, regenerating the same bytes", async () => {
    const receiver = await startReceiver();
    const dir = await mkdtemp(path.join(tmpdir(), "tandem-sandbox-"));
    onCleanup(() => rm(dir, { recursive: true, force: true }));
    const stateFile = path.join(dir, "state.json");
    const first = await startSandbox(receiver.url, { stateFile });
    await smbAppData(first.url, "smb_app_state_sync");
    const photo = await phoneApi(first.url, "photo", { waId: customer.waId, caption: "Kept" });
    const before = await download(first.url, photo.body.mediaId!);
    const firstState = await waitFor(async () => {
      const state = await getJson<ControlState>(`${first.url}/sandbox/api/state`);
      return state.syncs.contacts?.finishedAt ? state : false;
    });
    await first.sandbox.close();

    const second = await startSandbox(receiver.url, { stateFile });
    const after = await download(second.url, photo.body.mediaId!);
    const secondState = await getJson<ControlState>(`${second.url}/sandbox/api/state`);
    const again = await smbAppData(second.url, "smb_app_state_sync");

    expect(after.bytes.equals(before.bytes)).toBe(true);
    expect(secondState.number.onboardedAt).toBe(firstState.number.onboardedAt);
    expect(again.body.error.code).toBe(2593107);
  });

  it("loads a state file written before images, edits and the number's state existed", async () => {
    const receiver = await startReceiver();
    const dir = await mkdtemp(path.join(tmpdir(), "tandem-sandbox-"));
    onCleanup(() => rm(dir, { recursive: true, force: true }));
    const stateFile = path.join(dir, "state.json");
    const at = new Date().toISOString();
    const old = {
      version: 1,
      customers: [{ waId: customer.waId, name: customer.name }],
      threads: {
        [customer.waId]: [
          {
            from: "customer",
            wamid: "wamid.old1",
            type: "text",
            text: "Old",
            timestamp: at,
            replyTo: null,
            webhook: "acknowledged",
            webhookHttpStatus: 200,
            isReadByBusiness: false,
          },
          {
            from: "business",
            wamid: "wamid.old2",
            type: "text",
            text: "Reply",
            timestamp: at,
            replyTo: null,
            status: "read",
            template: null,
          },
        ],
      },
    };
    await writeFile(stateFile, JSON.stringify(old));

    const { url } = await startSandbox(receiver.url, { stateFile });
    const thread = await getJson<{ messages: Record<string, unknown>[] }>(`${url}/phone/api/thread?waId=${customer.waId}`);
    const contacts = await smbAppData(url, "smb_app_state_sync");

    expect(thread.messages[0]).toMatchObject({ wamid: "wamid.old1", mediaId: null, editedAt: null, revokedAt: null });
    expect(thread.messages[1]).toMatchObject({ wamid: "wamid.old2", origin: "api", webhook: null });
    expect(contacts.status).toBe(200);
  });
});
