import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Logo } from "@/components/ui/logo";

export const metadata: Metadata = { title: "Page not found" };

/** Any unknown address: say so plainly and lead back to the inbox. */
export default function NotFound() {
  return (
    <main className="flex min-h-full flex-col items-center justify-center bg-zinc-50 px-4 py-12 text-center">
      <Logo className="text-xl" />
      <p className="mt-10 text-sm font-semibold text-emerald-800">404</p>
      <h1 className="mt-1 text-2xl font-semibold text-zinc-900">This page does not exist</h1>
      <p className="mt-2 max-w-sm text-sm text-zinc-600">
        The link may be mistyped, or the page may have moved. Your conversations are where you left them.
      </p>
      <Link href="/inbox" className={buttonClass("primary", "mt-6")}>
        Back to the inbox
      </Link>
    </main>
  );
}
