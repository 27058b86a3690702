"use client";

import { signOut } from "next-auth/react";
import { Button } from "@/components/ui/button";
import { ExternalIcon } from "@/components/ui/icons";
import { Logo } from "@/components/ui/logo";
import type { RealtimeStatus } from "@/lib/client/use-realtime";

export type SessionUser = { id: string; name: string; role: "admin" | "agent" };
export type DemoInfo = { simulatorUrl: string | null } | null;

const realtimeLabels: Record<RealtimeStatus, { text: string; dot: string; title: string }> = {
  live: { text: "Live", dot: "bg-emerald-500", title: "New messages appear as they arrive." },
  connecting: { text: "Connecting…", dot: "bg-zinc-400", title: "Connecting to live updates." },
  offline: {
    text: "Live updates paused",
    dot: "bg-amber-500",
    title: "Live updates are unavailable; the inbox refreshes every 15 seconds until they are back.",
  },
};

/** Stays on this origin whatever NEXTAUTH_URL says (a proxy or another host name may be in front). */
async function onSignOut() {
  await signOut({ redirect: false });
  window.location.assign("/login");
}

const pages = [
  { href: "/inbox", label: "Inbox", shortLabel: "Inbox", isAdminOnly: false },
  { href: "/admin/webhooks", label: "Webhook events", shortLabel: "Webhooks", isAdminOnly: true },
  { href: "/settings", label: "Settings", shortLabel: "Settings", isAdminOnly: false },
] as const;

/** The bar above every signed-in page: where you are, the live state (inbox only), who you are. */
export function TopBar({
  user,
  demo,
  realtime,
  current,
}: {
  user: SessionUser;
  demo: DemoInfo;
  realtime?: RealtimeStatus;
  current: (typeof pages)[number]["href"];
}) {
  const live = realtime ? realtimeLabels[realtime] : null;
  const links = pages.filter((p) => !p.isAdminOnly || user.role === "admin");
  return (
    <header className="flex shrink-0 flex-wrap items-center gap-x-2 border-b border-zinc-200 bg-white px-3 sm:gap-x-3 sm:px-4">
      <div className="flex h-13 items-center">
        {/* On phones the mark alone leaves the links and the sign-out one row. */}
        <Logo nameClassName="max-sm:sr-only" />
      </div>
      {links.length > 1 ? (
        <nav aria-label="Pages" className="flex h-13 items-center gap-1">
          {links.map((link) => (
            <a
              key={link.href}
              href={link.href}
              aria-current={link.href === current ? "page" : undefined}
              // On phones the current page's link gives way to the others; its title says where you are.
              className={`rounded-lg px-2 py-1.5 text-sm whitespace-nowrap ${
                link.href === current
                  ? "font-medium text-emerald-800 max-sm:hidden"
                  : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900"
              }`}
            >
              <span className="sm:hidden">{link.shortLabel}</span>
              <span className="max-sm:hidden">{link.label}</span>
            </a>
          ))}
        </nav>
      ) : null}
      {demo ? (
        <div className="order-last -mx-3 flex w-[calc(100%+1.5rem)] items-center gap-2 border-t border-amber-200 bg-amber-50 px-3 py-1.5 text-xs sm:order-none sm:mx-0 sm:w-auto sm:rounded-full sm:border sm:py-1">
          <span className="font-medium text-amber-900">Demo mode · Meta sandbox</span>
          {demo.simulatorUrl ? (
            <a
              href={demo.simulatorUrl}
              target="_blank"
              rel="noreferrer"
              className="ml-auto inline-flex items-center gap-1 font-medium text-amber-900 underline decoration-amber-400 underline-offset-2 hover:decoration-amber-700 sm:ml-0"
            >
              {/* On a narrow phone the shorter words keep the banner one line. */}
              <span className="max-sm:hidden">Open phone simulator</span>
              <span className="sm:hidden">Phone simulator</span>
              <ExternalIcon className="size-3.5" />
              <span className="sr-only">(opens in a new tab)</span>
            </a>
          ) : null}
        </div>
      ) : null}
      <div className="ml-auto flex h-13 items-center gap-2 sm:gap-3">
        {live ? (
          <>
            <span role="status" title={live.title} className="inline-flex items-center gap-1.5 text-xs text-zinc-500">
              <span className={`size-2 rounded-full ${live.dot}`} aria-hidden="true" />
              <span className={realtime === "live" ? "sr-only sm:not-sr-only" : "max-sm:sr-only"}>{live.text}</span>
            </span>
            <span className="hidden h-5 w-px bg-zinc-200 sm:block" aria-hidden="true" />
          </>
        ) : null}
        <span className="max-w-40 truncate text-sm font-medium text-zinc-800 max-sm:hidden" title={`Signed in as ${user.name}`}>
          <span className="sr-only">Signed in as </span>
          {user.name}
        </span>
        <Button variant="ghost" className="px-2 py-1.5 whitespace-nowrap sm:px-2.5" onClick={onSignOut}>
          Sign out
        </Button>
      </div>
    </header>
  );
}
