"use client";

import { usePathname } from "next/navigation";

const items = [
  { href: "/settings/numbers", label: "Numbers" },
  { href: "/settings/team", label: "Team" },
] as const;

export function SettingsNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="shrink-0 md:w-44">
      <h2 className="px-2.5 pb-1.5 text-xs font-semibold tracking-wide text-zinc-500 uppercase max-md:sr-only">Settings</h2>
      <ul className="flex gap-1 md:flex-col">
        {items.map((item) => {
          const isCurrent = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <li key={item.href}>
              <a
                href={item.href}
                aria-current={isCurrent ? "page" : undefined}
                className={`block rounded-lg px-2.5 py-2 text-sm ${
                  isCurrent ? "bg-emerald-50 font-medium text-emerald-900" : "text-zinc-700 hover:bg-zinc-100"
                }`}
              >
                {item.label}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
