import type { LabelColor, LabelDto } from "@/lib/client/types";

/** Light fill, dark text: every pair stays well above 4.5:1. The dot carries the colour for a glance. */
export const labelTone: Record<LabelColor, { chip: string; dot: string }> = {
  gray: { chip: "bg-zinc-100 text-zinc-800 ring-zinc-300", dot: "bg-zinc-500" },
  red: { chip: "bg-red-50 text-red-900 ring-red-200", dot: "bg-red-500" },
  amber: { chip: "bg-amber-50 text-amber-900 ring-amber-200", dot: "bg-amber-500" },
  green: { chip: "bg-green-50 text-green-900 ring-green-200", dot: "bg-green-600" },
  teal: { chip: "bg-teal-50 text-teal-900 ring-teal-200", dot: "bg-teal-500" },
  blue: { chip: "bg-blue-50 text-blue-900 ring-blue-200", dot: "bg-blue-500" },
  violet: { chip: "bg-violet-50 text-violet-900 ring-violet-200", dot: "bg-violet-500" },
  pink: { chip: "bg-pink-50 text-pink-900 ring-pink-200", dot: "bg-pink-500" },
};

export function LabelDot({ color }: { color: LabelColor }) {
  return <span aria-hidden="true" className={`size-2 shrink-0 rounded-full ${labelTone[color].dot}`} />;
}

export function LabelChip({ label }: { label: Pick<LabelDto, "name" | "color"> }) {
  return (
    <span
      className={`inline-flex max-w-32 items-center gap-1 rounded-full px-1.5 py-px text-[11px] font-medium whitespace-nowrap ring-1 ring-inset ${labelTone[label.color].chip}`}
    >
      <LabelDot color={label.color} />
      <span className="truncate">{label.name}</span>
    </span>
  );
}

/** The labels of a conversation, in the workspace's order; ids of deleted labels are skipped. */
export function LabelChips({ labelIds, labels, className = "" }: { labelIds: string[]; labels: LabelDto[]; className?: string }) {
  const shown = labels.filter((l) => labelIds.includes(l.id));
  if (shown.length === 0) return null;
  return (
    <span className={`flex min-w-0 flex-wrap items-center gap-1 ${className}`}>
      <span className="sr-only">Labels:</span>
      {shown.map((label) => (
        <LabelChip key={label.id} label={label} />
      ))}
    </span>
  );
}
