import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { TopBar } from "@/components/shell/top-bar";
import { getSignedInUser } from "@/lib/auth/options";
import { getDemoInfo } from "@/lib/server/demo-info";
import { isFirstRun } from "../../first-run";
import { WebhookEvents } from "./webhook-events";

export const metadata: Metadata = { title: "Webhook events" };

export default async function WebhookEventsPage() {
  if (await isFirstRun()) redirect("/setup");
  const signedIn = await getSignedInUser();
  if (!signedIn) redirect(`/login?callbackUrl=${encodeURIComponent("/admin/webhooks")}`);

  const demo = getDemoInfo();
  const user = { id: signedIn.id, name: signedIn.name, role: signedIn.role };

  return (
    <div className="flex min-h-dvh flex-col bg-zinc-50">
      <TopBar user={user} demo={demo} current="/admin/webhooks" />
      {user.role === "admin" ? (
        <Suspense fallback={null}>
          <WebhookEvents />
        </Suspense>
      ) : (
        <main className="mx-auto w-full max-w-lg px-4 py-16 text-center">
          <h1 className="text-lg font-semibold text-zinc-900">Admins only</h1>
          <p className="mt-2 text-sm text-zinc-600">Only admins can see and replay webhook events.</p>
          <a href="/inbox" className="mt-4 inline-block text-sm font-medium text-emerald-800 underline underline-offset-2">
            Back to the inbox
          </a>
        </main>
      )}
    </div>
  );
}
