import { initialsOf } from "@/lib/client/format";

const sizes = { sm: "size-9 text-xs", md: "size-10 text-sm" } as const;

/** Neutral initials; a contact known only by number gets a `#`. */
export function Avatar({ name, size = "md" }: { name: string; size?: keyof typeof sizes }) {
  const initials = /\p{L}/u.test(name) ? initialsOf(name) : "#";
  return (
    <span
      aria-hidden="true"
      className={`inline-flex shrink-0 items-center justify-center rounded-full bg-zinc-200 font-semibold text-zinc-600 ${sizes[size]}`}
    >
      {initials}
    </span>
  );
}
