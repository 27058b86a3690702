import "server-only";
import { getDb } from "@/lib/server/db";
import { hasAnyUser } from "@/lib/services/users/create-first-admin";

/** True until the first admin is created on /setup. */
export async function isFirstRun() {
  return !(await hasAnyUser({ db: getDb(), actor: { kind: "system", name: "web" } }));
}

/** Only same-site paths, so a crafted link cannot send someone elsewhere after sign-in. */
export function safeCallbackUrl(value: string | string[] | undefined, fallback = "/inbox") {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : fallback;
}
