import { type APIRequestContext, expect, request as playwrightRequest } from "@playwright/test";
import { e2e } from "./fixtures";

/**
 * A signed-in API client, as a browser would be: next-auth's CSRF token, then the credentials
 * callback; the session cookie stays in the context. Sends the app's own Origin like a browser.
 */
export async function signInApi(email: string, password: string): Promise<APIRequestContext> {
  const api = await playwrightRequest.newContext({ baseURL: e2e.baseURL, extraHTTPHeaders: { origin: e2e.baseURL } });
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await api.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, json: "true" } });
  expect(response.ok(), `sign-in of ${email} answered ${response.status()}`).toBe(true);
  const me = await api.get("/api/users");
  expect(me.status(), `${email} is signed in`).toBe(200);
  return api;
}

export const anonymousApi = () =>
  playwrightRequest.newContext({ baseURL: e2e.baseURL, extraHTTPHeaders: { origin: e2e.baseURL } });

/** Invites through the admin's API and accepts through the public one: a new teammate, signed in. */
export async function joinTeam(
  adminApi: APIRequestContext,
  input: { email: string; name: string; role: "admin" | "agent"; numberIds: string[] },
) {
  const password = "a long enough password";
  const invited = await adminApi.post("/api/invites", {
    data: { email: input.email, role: input.role, numberIds: input.numberIds },
  });
  expect(invited.status()).toBe(201);
  const { url } = (await invited.json()) as { url: string };
  const token = new URL(url).pathname.split("/").at(-1)!;
  const anonymous = await anonymousApi();
  const accepted = await anonymous.post("/api/invites/accept", { data: { token, name: input.name, password } });
  expect(accepted.status()).toBe(201);
  const { user } = (await accepted.json()) as { user: { id: string } };
  await anonymous.dispose();
  return { id: user.id, api: await signInApi(input.email, password) };
}
