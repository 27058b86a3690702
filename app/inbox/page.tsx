import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { getSession } from "@/lib/auth/options";
import { isDemoMode } from "@/lib/env/shared";
import { webEnv } from "@/lib/env/web";
import { isFirstRun } from "../first-run";
import { Inbox } from "./inbox";

export const metadata: Metadata = { title: "Inbox" };

export default async function InboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  if (await isFirstRun()) redirect("/setup");
  const session = await getSession();
  if (!session?.user?.id) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(await searchParams)) if (typeof value === "string") query.set(key, value);
    const back = query.size > 0 ? `/inbox?${query}` : "/inbox";
    redirect(`/login?callbackUrl=${encodeURIComponent(back)}`);
  }

  const env = webEnv();
  const demo = isDemoMode(env)
    ? { simulatorUrl: env.SANDBOX_PUBLIC_URL ? `${env.SANDBOX_PUBLIC_URL.replace(/\/+$/, "")}/phone` : null }
    : null;
  const user = { id: session.user.id, name: session.user.name ?? session.user.email ?? "Signed in", role: session.user.role };

  return (
    <Suspense fallback={<div className="h-dvh bg-zinc-50" />}>
      <Inbox user={user} demo={demo} historyStaleAfterMs={env.HISTORY_STALE_MINUTES * 60_000} />
    </Suspense>
  );
}
