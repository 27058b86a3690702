"use client";

import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { ChevronDownIcon } from "./icons";

/**
 * A button that opens a small panel below it; Escape or a click outside closes it and gives focus
 * back to the button. `children` receives `close` for actions that finish the panel's job.
 */
export function Popover({
  label,
  buttonClassName,
  align = "end",
  children,
}: {
  label: ReactNode;
  buttonClassName: string;
  align?: "start" | "end";
  children: (close: () => void) => ReactNode;
}) {
  const [isOpen, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  useEffect(() => {
    if (!isOpen) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [isOpen]);

  return (
    <div ref={root} className="relative">
      <button
        ref={button}
        type="button"
        aria-expanded={isOpen}
        aria-controls={isOpen ? panelId : undefined}
        onClick={() => setOpen(!isOpen)}
        className={buttonClassName}
      >
        {label}
        {/* Below 360 px a menu is known by its icon alone: the row of controls then fits one line. */}
        <ChevronDownIcon className="size-3.5 text-zinc-500 max-[360px]:hidden" />
      </button>
      {isOpen ? (
        <div
          id={panelId}
          className={`absolute top-full z-30 mt-1 w-64 rounded-lg border border-zinc-200 bg-white p-1.5 shadow-lg ${align === "end" ? "right-0" : "left-0"}`}
        >
          {children(close)}
        </div>
      ) : null}
    </div>
  );
}

/**
 * A compact button label: the icon always, the text from the `sm` breakpoint up. On a phone the
 * text stays for screen readers, so the button keeps its name.
 */
export function IconLabel({ icon, text }: { icon: ReactNode; text: string }) {
  return (
    <>
      {icon}
      <span className="sr-only sm:not-sr-only">{text}</span>
    </>
  );
}
