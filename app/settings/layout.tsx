import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { TopBar } from "@/components/shell/top-bar";
import { getSignedInUser } from "@/lib/auth/options";
import { getDemoInfo } from "@/lib/server/demo-info";
import { isFirstRun } from "../first-run";
import { SettingsNav } from "./settings-nav";

/** Settings: Numbers and Team for admins, Account (alerts, password) for everyone. */
export default async function SettingsLayout({ children }: { children: ReactNode }) {
  if (await isFirstRun()) redirect("/setup");
  const signedIn = await getSignedInUser();
  if (!signedIn) redirect(`/login?callbackUrl=${encodeURIComponent("/settings")}`);
  const demo = getDemoInfo();
  const user = { id: signedIn.id, name: signedIn.name, role: signedIn.role };

  return (
    <div className="flex min-h-dvh flex-col bg-zinc-50">
      <TopBar user={user} demo={demo} current="/settings" />
      <div className="mx-auto flex w-full max-w-6xl flex-1 flex-col gap-4 px-4 py-5 md:flex-row md:gap-8 md:py-8">
        <SettingsNav role={user.role} />
        <main className="min-w-0 flex-1">{children}</main>
      </div>
    </div>
  );
}
