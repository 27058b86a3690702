import { describe, expect, it } from "vitest";
import { createGraphClient, GraphApiError, GraphNotSentError, GraphUnknownOutcomeError, parseGraphError } from "./graph-client";

const send = (fetchImpl: typeof fetch) =>
  createGraphClient({ baseUrl: "http://graph.test", version: "v24.0", fetch: fetchImpl, sendTimeoutMs: 50 }).sendMessage({
    phoneNumberId: "1",
    token: "t",
    recipient: { waId: "16505551234", userId: null },
    message: { type: "text", text: { body: "Hi" } },
    tag: "tag-1",
  });

describe("Graph error bodies", () => {
  it("keep Meta's code when another field has an unexpected shape", () => {
    const error = parseGraphError(400, { error: { message: { nested: true }, code: 131056, error_data: "odd" } });
    expect(error).toMatchObject({ code: 131056, httpStatus: 400 });
  });

  it("read a code sent as a string and the subcode", () => {
    expect(parseGraphError(401, { error: { code: "190", error_subcode: 463 } })).toMatchObject({ code: 190, subcode: 463 });
  });
});

describe("send outcomes", () => {
  it("tag the send with biz_opaque_callback_data and name a BSUID-only customer in recipient", async () => {
    let body: Record<string, unknown> = {};
    const client = createGraphClient({
      baseUrl: "http://graph.test",
      version: "v24.0",
      fetch: async (_url, init) => {
        body = JSON.parse(String(init?.body));
        return Response.json({ messages: [{ id: "wamid.1" }] });
      },
    });
    await client.sendMessage({
      phoneNumberId: "1",
      token: "t",
      recipient: { waId: null, userId: "US.123" },
      message: { type: "text", text: { body: "Hi" } },
      tag: "m-1",
    });
    expect(body).toMatchObject({ recipient: "US.123", biz_opaque_callback_data: "m-1" });
    expect(body).not.toHaveProperty("to");
  });

  it("a refused connection proves nothing was sent", async () => {
    const refused = async () => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("refused"), { code: "ECONNREFUSED" }) });
    };
    await expect(send(refused)).rejects.toBeInstanceOf(GraphNotSentError);
  });

  it("a reset, a timeout or an unreadable 2xx leave the outcome unknown", async () => {
    const reset = async () => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });
    };
    await expect(send(reset)).rejects.toBeInstanceOf(GraphUnknownOutcomeError);
    const slow: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
    await expect(send(slow)).rejects.toBeInstanceOf(GraphUnknownOutcomeError);
    await expect(send(async () => new Response("<html>", { status: 200 }))).rejects.toBeInstanceOf(GraphUnknownOutcomeError);
  });

  it("an error answer from Meta is a GraphApiError with its code", async () => {
    const answer = async () => Response.json({ error: { message: "(#130429) Rate limit hit", code: 130429 } }, { status: 400 });
    await expect(send(answer)).rejects.toMatchObject({ code: 130429 });
    await expect(send(answer)).rejects.toBeInstanceOf(GraphApiError);
  });
});
