import { readdirSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { admin, e2e, expect, test, unique } from "./fixtures";
import { anonymousApi, joinTeam, signInApi } from "./team-api";

type Who = "admin" | "member" | "nonMember" | "deactivated" | "anonymous";
type Ids = {
  conversationId: string;
  contactId: string;
  messageId: string;
  numberId: string;
  selfId: string;
  randomId: string;
};
type Case = {
  file: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: (ids: Ids) => string;
  body?: (ids: Ids) => unknown;
  // Status per caller; deactivated and anonymous default to 401.
  expect: Partial<Record<Who, number>> & Pick<Record<Who, number>, "admin" | "member" | "nonMember">;
};

const signedIn = (status: number) => ({ admin: status, member: status, nonMember: status });
const memberOnly = (ok: number) => ({ admin: ok, member: ok, nonMember: 404 });
const adminOnly = (ok: number) => ({ admin: ok, member: 403, nonMember: 403 });

/** Every API route and method, with what each kind of caller must get. */
const matrix: Case[] = [
  { file: "numbers/route.ts", method: "GET", path: () => "/api/numbers", expect: signedIn(200) },
  { file: "users/route.ts", method: "GET", path: () => "/api/users", expect: signedIn(200) },
  {
    file: "users/[id]/route.ts",
    method: "PATCH",
    path: (ids) => `/api/users/${ids.selfId}`,
    body: () => ({ numberIds: [] }),
    expect: adminOnly(200),
  },
  {
    file: "users/[id]/password/route.ts",
    method: "POST",
    path: (ids) => `/api/users/${ids.randomId}/password`,
    body: () => ({ password: "a long enough password" }),
    expect: adminOnly(404),
  },
  { file: "team/route.ts", method: "GET", path: () => "/api/team", expect: adminOnly(200) },
  { file: "invites/route.ts", method: "POST", path: () => "/api/invites", body: () => ({}), expect: adminOnly(400) },
  { file: "invites/[id]/route.ts", method: "DELETE", path: (ids) => `/api/invites/${ids.randomId}`, expect: adminOnly(404) },
  {
    file: "invites/accept/route.ts",
    method: "POST",
    path: () => "/api/invites/accept",
    body: () => ({ token: "x".repeat(43), name: "Nobody", password: "a long enough password" }),
    expect: { ...signedIn(404), deactivated: 404, anonymous: 404 },
  },
  { file: "me/notifications/route.ts", method: "GET", path: () => "/api/me/notifications", expect: signedIn(200) },
  {
    file: "me/notifications/route.ts",
    method: "PATCH",
    path: () => "/api/me/notifications",
    body: () => ({ sound: false }),
    expect: signedIn(200),
  },
  {
    file: "me/password/route.ts",
    method: "POST",
    path: () => "/api/me/password",
    body: () => ({ currentPassword: "not the password", newPassword: "a long enough password" }),
    expect: signedIn(400),
  },
  { file: "realtime/token/route.ts", method: "POST", path: () => "/api/realtime/token", expect: signedIn(200) },
  { file: "conversations/route.ts", method: "GET", path: () => "/api/conversations", expect: signedIn(200) },
  { file: "conversations/counts/route.ts", method: "GET", path: () => "/api/conversations/counts", expect: signedIn(200) },
  {
    file: "conversations/[id]/route.ts",
    method: "GET",
    path: (ids) => `/api/conversations/${ids.conversationId}`,
    expect: memberOnly(200),
  },
  {
    file: "conversations/[id]/route.ts",
    method: "PATCH",
    path: (ids) => `/api/conversations/${ids.conversationId}`,
    body: () => ({ status: "open" }),
    expect: memberOnly(200),
  },
  {
    file: "conversations/[id]/route.ts",
    method: "PATCH",
    path: (ids) => `/api/conversations/${ids.conversationId}`,
    body: () => ({ labelIds: [] }),
    expect: memberOnly(200),
  },
  { file: "labels/route.ts", method: "GET", path: () => "/api/labels", expect: signedIn(200) },
  { file: "labels/route.ts", method: "POST", path: () => "/api/labels", body: () => ({}), expect: adminOnly(400) },
  {
    file: "labels/[id]/route.ts",
    method: "PATCH",
    path: (ids) => `/api/labels/${ids.randomId}`,
    body: () => ({ color: "red" }),
    expect: adminOnly(404),
  },
  { file: "labels/[id]/route.ts", method: "DELETE", path: (ids) => `/api/labels/${ids.randomId}`, expect: adminOnly(404) },
  {
    file: "conversations/[id]/messages/route.ts",
    method: "GET",
    path: (ids) => `/api/conversations/${ids.conversationId}/messages`,
    expect: memberOnly(200),
  },
  {
    file: "conversations/[id]/messages/route.ts",
    method: "POST",
    path: (ids) => `/api/conversations/${ids.conversationId}/messages`,
    body: () => ({ clientKey: crypto.randomUUID(), text: unique("Authorization matrix reply") }),
    expect: memberOnly(201),
  },
  {
    file: "conversations/[id]/notes/route.ts",
    method: "POST",
    path: (ids) => `/api/conversations/${ids.conversationId}/notes`,
    body: () => ({ clientKey: crypto.randomUUID(), text: unique("Authorization matrix note") }),
    expect: memberOnly(201),
  },
  { file: "me/mentions/route.ts", method: "GET", path: () => "/api/me/mentions", expect: signedIn(200) },
  {
    file: "numbers/[id]/members/route.ts",
    method: "GET",
    path: (ids) => `/api/numbers/${ids.numberId}/members`,
    expect: memberOnly(200),
  },
  {
    file: "numbers/[id]/route.ts",
    method: "PATCH",
    path: (ids) => `/api/numbers/${ids.numberId}`,
    body: () => ({ autoAssignOnReply: false }),
    expect: adminOnly(200),
  },
  {
    file: "numbers/[id]/canned-replies/route.ts",
    method: "GET",
    path: (ids) => `/api/numbers/${ids.numberId}/canned-replies`,
    expect: memberOnly(200),
  },
  {
    file: "numbers/[id]/canned-replies/route.ts",
    method: "POST",
    path: (ids) => `/api/numbers/${ids.numberId}/canned-replies`,
    body: () => ({ shortcut: `m${crypto.randomUUID().slice(0, 8)}`, body: "Authorization matrix canned reply" }),
    expect: adminOnly(201),
  },
  {
    file: "canned-replies/[id]/route.ts",
    method: "PATCH",
    path: (ids) => `/api/canned-replies/${ids.randomId}`,
    body: () => ({ body: "Changed" }),
    expect: adminOnly(404),
  },
  {
    file: "canned-replies/[id]/route.ts",
    method: "DELETE",
    path: (ids) => `/api/canned-replies/${ids.randomId}`,
    expect: adminOnly(404),
  },
  {
    file: "conversations/[id]/read/route.ts",
    method: "POST",
    path: (ids) => `/api/conversations/${ids.conversationId}/read`,
    expect: memberOnly(200),
  },
  {
    file: "contacts/[id]/route.ts",
    method: "PATCH",
    path: (ids) => `/api/contacts/${ids.contactId}`,
    body: () => ({ customName: null }),
    expect: memberOnly(200),
  },
  // A message that reached WhatsApp can be neither retried nor discarded: 409 once access is granted.
  { file: "messages/[id]/route.ts", method: "DELETE", path: (ids) => `/api/messages/${ids.messageId}`, expect: memberOnly(409) },
  {
    file: "messages/[id]/retry/route.ts",
    method: "POST",
    path: (ids) => `/api/messages/${ids.messageId}/retry`,
    expect: memberOnly(409),
  },
  {
    file: "messages/[id]/reaction/route.ts",
    method: "POST",
    path: (ids) => `/api/messages/${ids.messageId}/reaction`,
    body: () => ({ clientKey: crypto.randomUUID(), emoji: "👍" }),
    expect: memberOnly(201),
  },
  { file: "media/[id]/route.ts", method: "GET", path: (ids) => `/api/media/${ids.randomId}`, expect: signedIn(404) },
  { file: "admin/numbers/route.ts", method: "GET", path: () => "/api/admin/numbers", expect: adminOnly(200) },
  {
    file: "admin/numbers/[id]/media-downloads/retry/route.ts",
    method: "POST",
    path: (ids) => `/api/admin/numbers/${ids.numberId}/media-downloads/retry`,
    expect: adminOnly(200),
  },
  { file: "onboarding/start/route.ts", method: "POST", path: () => "/api/onboarding/start", expect: adminOnly(200) },
  {
    file: "onboarding/complete/route.ts",
    method: "POST",
    path: () => "/api/onboarding/complete",
    body: () => ({}),
    expect: adminOnly(400),
  },
  { file: "admin/webhook-events/route.ts", method: "GET", path: () => "/api/admin/webhook-events", expect: adminOnly(200) },
  {
    file: "admin/webhook-events/[id]/replay/route.ts",
    method: "POST",
    path: () => "/api/admin/webhook-events/2147483000/replay",
    expect: adminOnly(404),
  },
  {
    file: "admin/webhook-events/[id]/payload/route.ts",
    method: "GET",
    path: () => "/api/admin/webhook-events/2147483000/payload",
    expect: adminOnly(404),
  },
  {
    file: "admin/webhook-events/[id]/dismiss/route.ts",
    method: "POST",
    path: () => "/api/admin/webhook-events/2147483000/dismiss",
    expect: adminOnly(404),
  },
  {
    file: "admin/webhook-events/replay-failed/route.ts",
    method: "POST",
    path: () => "/api/admin/webhook-events/replay-failed",
    expect: adminOnly(200),
  },
  { file: "contacts/route.ts", method: "GET", path: () => "/api/contacts", expect: signedIn(200) },
  {
    file: "contacts/route.ts",
    method: "POST",
    path: () => "/api/contacts",
    body: (ids) => ({ numberId: ids.numberId, phone: "+1 555 010 4242" }),
    expect: memberOnly(200),
  },
  {
    file: "contacts/[id]/conversation/route.ts",
    method: "POST",
    path: (ids) => `/api/contacts/${ids.contactId}/conversation`,
    expect: memberOnly(200),
  },
  // Both send routes check the body before the conversation; a refused body reveals nothing of it.
  {
    file: "conversations/[id]/media/route.ts",
    method: "POST",
    path: (ids) => `/api/conversations/${ids.conversationId}/media`,
    body: () => ({}),
    expect: signedIn(400),
  },
  {
    file: "conversations/[id]/templates/route.ts",
    method: "POST",
    path: (ids) => `/api/conversations/${ids.conversationId}/templates`,
    body: () => ({}),
    expect: signedIn(400),
  },
  {
    file: "numbers/[id]/templates/route.ts",
    method: "GET",
    path: (ids) => `/api/numbers/${ids.numberId}/templates`,
    expect: memberOnly(200),
  },
  {
    file: "numbers/[id]/templates/sync/route.ts",
    method: "POST",
    path: (ids) => `/api/numbers/${ids.numberId}/templates/sync`,
    expect: memberOnly(200),
  },
  {
    file: "setup/route.ts",
    method: "POST",
    path: () => "/api/setup",
    body: () => ({ name: "Intruder", email: "intruder@example.com", password: "a long enough password" }),
    expect: { ...signedIn(409), deactivated: 409, anonymous: 409 },
  },
];

/** Routes with rules of their own: next-auth's, the public health check, Meta's signed webhook, metrics behind their token. */
const outsideMatrix = ["auth/[...nextauth]/route.ts", "health/route.ts", "webhooks/whatsapp/route.ts", "metrics/route.ts"];

function routeFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full, base);
    return entry.name === "route.ts" ? [path.relative(base, full)] : [];
  });
}

async function call(api: APIRequestContext, c: Case, ids: Ids) {
  const body = c.body?.(ids);
  // Like the app's client: every state-changing request is JSON, with or without a body.
  const response = await api.fetch(c.path(ids), {
    method: c.method,
    ...(c.method === "GET" ? {} : { headers: { "content-type": "application/json" } }),
    ...(body === undefined ? {} : { data: body }),
  });
  const json = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  // Refusals carry the error shape, never a stack or a 500.
  if (response.status() >= 400) expect(json?.error?.code, `${c.method} ${c.path(ids)}`).toEqual(expect.any(String));
  return response.status();
}

test("every API route answers admins, members, non-members, deactivated users and strangers as it must, and nothing leaks across numbers", async ({
  request,
}) => {
  const inMatrix = new Set(matrix.map((c) => c.file));
  expect(routeFiles(path.resolve("app/api")).filter((f) => !inMatrix.has(f) && !outsideMatrix.includes(f))).toEqual([]);

  const adminApi = await signInApi(admin.email, admin.password);
  const { numbers } = (await (await adminApi.get("/api/numbers")).json()) as { numbers: { id: string }[] };
  const numberId = numbers[0]!.id;
  const tag = Date.now().toString(36);
  const member = await joinTeam(adminApi, {
    email: `member-${tag}@example.com`,
    name: "Matrix Member",
    role: "agent",
    numberIds: [numberId],
  });
  const nonMember = await joinTeam(adminApi, {
    email: `outsider-${tag}@example.com`,
    name: "Matrix Outsider",
    role: "agent",
    numberIds: [],
  });
  const deactivated = await joinTeam(adminApi, {
    email: `gone-${tag}@example.com`,
    name: "Matrix Gone",
    role: "agent",
    numberIds: [numberId],
  });
  expect((await adminApi.patch(`/api/users/${deactivated.id}`, { data: { isActive: false } })).status()).toBe(200);

  // A conversation with an open window on the number the member belongs to.
  const waId = `1650${String(Date.now()).slice(-7)}`;
  const sent = await request.post(`${e2e.sandboxURL}/phone/api/messages`, {
    data: { waId, name: "Matrix Customer", text: unique("Matrix question") },
  });
  expect(sent.ok()).toBe(true);
  let conversation: { id: string; contact: { id: string } } | undefined;
  await expect
    .poll(async () => {
      const list = (await (await adminApi.get(`/api/conversations?search=${waId}`)).json()) as {
        conversations: { id: string; contact: { id: string; waId: string } }[];
      };
      conversation = list.conversations.find((c) => c.contact.waId === waId);
      return conversation?.id ?? null;
    })
    .not.toBeNull();

  const reply = await adminApi.post(`/api/conversations/${conversation!.id}/messages`, {
    data: { clientKey: crypto.randomUUID(), text: unique("Matrix answer") },
  });
  expect(reply.status()).toBe(201);
  const { messageId } = (await reply.json()) as { messageId: string };
  // Reactions need a message WhatsApp has: wait for its wamid.
  await expect
    .poll(async () => {
      const page = (await (await adminApi.get(`/api/conversations/${conversation!.id}/messages`)).json()) as {
        messages: { id: string; wamid: string | null }[];
      };
      return page.messages.find((m) => m.id === messageId)?.wamid ?? null;
    })
    .not.toBeNull();

  const callers: Record<Who, { api: APIRequestContext; selfId: string }> = {
    admin: {
      api: adminApi,
      selfId: (await (await adminApi.get("/api/team")).json()).members.find((m: { email: string }) => m.email === admin.email).id,
    },
    member: { api: member.api, selfId: member.id },
    nonMember: { api: nonMember.api, selfId: nonMember.id },
    deactivated: { api: deactivated.api, selfId: deactivated.id },
    anonymous: { api: await anonymousApi(), selfId: crypto.randomUUID() },
  };

  const failures: string[] = [];
  for (const c of matrix) {
    for (const [who, caller] of Object.entries(callers) as [Who, (typeof callers)[Who]][]) {
      const ids = {
        messageId,
        conversationId: conversation!.id,
        contactId: conversation!.contact.id,
        numberId,
        selfId: caller.selfId,
        randomId: crypto.randomUUID(),
      };
      const wanted = c.expect[who] ?? 401;
      const got = await call(caller.api, c, ids);
      if (got !== wanted) failures.push(`${who} ${c.method} ${c.file}: ${got}, expected ${wanted}`);
    }
  }
  expect(failures).toEqual([]);

  // What a non-member can list holds nothing of the number they are not on.
  const outsider = nonMember.api;
  expect((await (await outsider.get("/api/numbers")).json()).numbers).toEqual([]);
  expect((await (await outsider.get("/api/conversations")).json()).conversations).toEqual([]);
  expect((await (await outsider.get(`/api/conversations?numberId=${numberId}`)).json()).error.code).toBe("NOT_FOUND");
  expect((await (await outsider.get("/api/users")).json()).users).toEqual([
    { id: nonMember.id, name: "Matrix Outsider", role: "agent" },
  ]);
  expect((await (await outsider.get("/api/conversations/counts")).json()).unread).toEqual({ all: 0, mine: 0, unassigned: 0 });
  const memberSees = ((await (await member.api.get("/api/users")).json()).users as { id: string }[]).map((u) => u.id);
  expect(memberSees).not.toContain(nonMember.id);
});
