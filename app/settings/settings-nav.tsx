"use client";

import { usePathname } from "next/navigation";

const links = [
  { href: "/settings/numbers", label: "Numbers", isAdminOnly: true },
  { href: "/settings/team", label: "Team", isAdminOnly: true },
  { href: "/settings/replies", label: "Replies", isAdminOnly: true },
  { href: "/settings/labels", label: "Labels", isAdminOnly: true },
  { href: "/settings/account", label: "Account", isAdminOnly: false },
] as const;

export function SettingsNav({ role }: { role: "admin" | "agent" }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="md:w-44 md:shrink-0">
      <ul className="flex gap-1 overflow-x-auto md:flex-col">
        {links
          .filter((link) => !link.isAdminOnly || role === "admin")
          .map((link) => {
            const isCurrent = pathname === link.href || pathname.startsWith(`${link.href}/`);
            return (
              <li key={link.href}>
                <a
                  href={link.href}
                  aria-current={isCurrent ? "page" : undefined}
                  className={`block rounded-lg px-3 py-2 text-sm whitespace-nowrap ${
                    isCurrent
                      ? "bg-white font-medium text-emerald-800 shadow-xs ring-1 ring-zinc-200"
                      : "text-zinc-700 hover:bg-zinc-100"
                  }`}
                >
                  {link.label}
                </a>
              </li>
            );
          })}
      </ul>
    </nav>
  );
}
