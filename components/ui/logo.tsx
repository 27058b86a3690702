/** Tandem's mark: two overlapping speech bubbles, the phone and the team. */
export function Logo({ className = "", nameClassName = "" }: { className?: string; nameClassName?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight text-zinc-900 ${className}`}>
      <svg viewBox="0 0 28 28" className="size-7" aria-hidden="true" focusable="false">
        <rect x="2" y="4" width="16" height="13" rx="4" className="fill-emerald-600" />
        <rect x="10" y="10" width="16" height="13" rx="4" className="fill-emerald-300" opacity="0.9" />
      </svg>
      <span className={nameClassName}>Tandem</span>
    </span>
  );
}
