import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { TopBar } from "@/components/shell/top-bar";
import { getSession } from "@/lib/auth/options";
import { getDemoInfo } from "@/lib/server/demo-info";
import { isFirstRun } from "../first-run";
import { SettingsNav } from "./settings-nav";

/** Settings pages are for admins: a narrow menu (Numbers, Team) beside the page. */
export default async function SettingsLayout({ children }: { children: ReactNode }) {
  if (await isFirstRun()) redirect("/setup");
  const session = await getSession();
  if (!session?.user?.id) redirect(`/login?callbackUrl=${encodeURIComponent("/settings/numbers")}`);
  const user = { id: session.user.id, name: session.user.name ?? session.user.email ?? "Signed in", role: session.user.role };

  return (
    <div className="flex min-h-dvh flex-col bg-zinc-50">
      <TopBar user={user} demo={getDemoInfo()} current="/settings/numbers" />
      {user.role === "admin" ? (
        <div className="mx-auto flex w-full max-w-6xl flex-1 flex-col gap-4 px-4 py-5 md:flex-row md:gap-8 md:py-8">
          <SettingsNav />
          <div className="min-w-0 flex-1">{children}</div>
        </div>
      ) : (
        <main className="mx-auto w-full max-w-lg px-4 py-16 text-center">
          <h1 className="text-lg font-semibold text-zinc-900">Admins only</h1>
          <p className="mt-2 text-sm text-zinc-600">Only admins can manage numbers and the team.</p>
          <a href="/inbox" className="mt-4 inline-block text-sm font-medium text-emerald-800 underline underline-offset-2">
            Back to the inbox
          </a>
        </main>
      )}
    </div>
  );
}
