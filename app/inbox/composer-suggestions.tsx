"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { cannedRepliesQuery, numberMembersQuery } from "@/lib/client/queries";

/** `@name` or `/shortcut` being typed right before the caret, at the start of a word. */
export function findTrigger(text: string, caret: number, char: "@" | "/") {
  const before = text.slice(0, caret);
  const pattern = char === "@" ? /(?:^|\s)@([^\s@][^@\n]{0,30}|)$/u : /(?:^|\s)\/([\w-]{0,32})$/u;
  const match = pattern.exec(before);
  if (!match) return null;
  const query = match[1] ?? "";
  return { start: caret - query.length - 1, end: caret, query: query.toLowerCase() };
}

/**
 * The customer's name for a variable called `name` (whole) or `first_name`; null for any other
 * variable, and when the customer is known only by their number (null), which is no name to greet.
 */
export function nameVariable(variable: string, customerName: string | null) {
  if (!customerName) return null;
  if (variable === "name") return customerName;
  if (variable === "first_name") return customerName.split(/\s+/)[0] || customerName;
  return null;
}

/** A canned reply with the variables the composer can fill filled; the others are left for the agent. */
export function fillVariables(body: string, customerName: string | null) {
  return body.replace(/\{\{\s*(\w+)\s*\}\}/g, (variable, key: string) => nameVariable(key, customerName) ?? variable);
}

export type Suggestion = { key: string; label: string; detail: string; insert: string };

/**
 * What the composer suggests at the caret: teammates of the number after `@` (notes only, they
 * mention), canned replies after `/`. Picking one replaces the typed trigger with its text.
 */
export function useSuggestions(input: {
  text: string;
  caret: number;
  isNote: boolean;
  numberId: string;
  customerName: string | null;
}) {
  const { text, caret, isNote, numberId, customerName } = input;
  const mention = isNote ? findTrigger(text, caret, "@") : null;
  const canned = mention ? null : findTrigger(text, caret, "/");
  const members = useQuery({ ...numberMembersQuery(numberId), enabled: mention !== null });
  const replies = useQuery({ ...cannedRepliesQuery(numberId), enabled: canned !== null });
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const trigger = mention ?? canned;

  const options = useMemo<Suggestion[]>(() => {
    if (mention) {
      return (members.data ?? [])
        .filter((m) => m.name.toLowerCase().startsWith(mention.query))
        .slice(0, 6)
        .map((m) => ({ key: m.id, label: `@${m.name}`, detail: m.role === "admin" ? "Admin" : "Agent", insert: `@${m.name} ` }));
    }
    if (canned) {
      return (replies.data ?? [])
        .filter((r) => r.shortcut.startsWith(canned.query))
        .slice(0, 6)
        .map((r) => ({ key: r.id, label: `/${r.shortcut}`, detail: r.body, insert: fillVariables(r.body, customerName) }));
    }
    return [];
  }, [mention, canned, members.data, replies.data, customerName]);

  const triggerKey = trigger ? `${trigger.start}:${trigger.query}` : "";
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new trigger or query starts at the first option
  useEffect(() => setActive(0), [triggerKey]);

  const isOpen = trigger !== null && options.length > 0 && dismissedAt !== trigger.start;
  return {
    isOpen,
    options,
    active: Math.min(active, Math.max(0, options.length - 1)),
    kind: mention ? ("mention" as const) : ("canned" as const),
    move: (step: number) => setActive((i) => (i + step + options.length) % Math.max(1, options.length)),
    setActive,
    dismiss: () => setDismissedAt(trigger?.start ?? null),
    /** The text with the option in place of the trigger, and where the caret goes. */
    apply: (option: Suggestion) => {
      if (!trigger) return { text, caret };
      const next = text.slice(0, trigger.start) + option.insert + text.slice(trigger.end);
      return { text: next, caret: trigger.start + option.insert.length };
    },
  };
}

export function SuggestionList({
  id,
  label,
  options,
  active,
  onPick,
  onHover,
}: {
  id: string;
  label: string;
  options: Suggestion[];
  active: number;
  onPick: (option: Suggestion) => void;
  onHover: (index: number) => void;
}) {
  return (
    <div
      id={id}
      role="listbox"
      aria-label={label}
      className="absolute right-0 bottom-full left-0 z-20 mb-1 max-h-60 overflow-y-auto rounded-xl border border-zinc-200 bg-white p-1 shadow-lg"
    >
      {options.map((option, i) => (
        <div
          key={option.key}
          id={`${id}-${i}`}
          role="option"
          tabIndex={-1}
          aria-selected={i === active}
          // Keeps focus (and the caret) in the textarea.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onPick(option)}
          onMouseEnter={() => onHover(i)}
          onKeyDown={() => {}}
          className={`flex cursor-pointer items-baseline gap-2 rounded-lg px-2.5 py-1.5 text-sm ${
            i === active ? "bg-emerald-50 text-emerald-950" : "text-zinc-800"
          }`}
        >
          <span className="shrink-0 font-medium">{option.label}</span>
          <span className="min-w-0 truncate text-xs text-zinc-600">{option.detail}</span>
        </div>
      ))}
    </div>
  );
}
