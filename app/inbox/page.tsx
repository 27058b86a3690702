import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { getSignedInUser } from "@/lib/auth/options";
import { webEnv } from "@/lib/env/web";
import { getDemoInfo } from "@/lib/server/demo-info";
import { isFirstRun } from "../first-run";
import { Inbox } from "./inbox";

export const metadata: Metadata = { title: "Inbox" };

export default async function InboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  if (await isFirstRun()) redirect("/setup");
  const signedIn = await getSignedInUser();
  if (!signedIn) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(await searchParams)) if (typeof value === "string") query.set(key, value);
    const back = query.size > 0 ? `/inbox?${query}` : "/inbox";
    redirect(`/login?callbackUrl=${encodeURIComponent(back)}`);
  }

  const demo = getDemoInfo();
  const user = { id: signedIn.id, name: signedIn.name, role: signedIn.role };

  return (
    <Suspense fallback={<div className="h-dvh bg-zinc-50" />}>
      <Inbox user={user} demo={demo} historyStaleAfterMs={webEnv().HISTORY_STALE_MINUTES * 60_000} />
    </Suspense>
  );
}
