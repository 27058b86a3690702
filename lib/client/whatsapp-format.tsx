import { Fragment, type ReactNode } from "react";

/**
 * WhatsApp's text formatting: *bold*, _italic_, ~strikethrough~, ```monospace``` and `inline code`.
 * A marker counts only around non-space text and at word edges (snake_case stays plain), as WhatsApp renders it.
 * https://faq.whatsapp.com/539178204879377
 */
const pattern =
  /```([\s\S]+?)```|`([^`\n]+)`|(?<![\p{L}\p{N}])(?:\*(\S(?:[^*\n]*\S)?)\*|_(\S(?:[^_\n]*\S)?)_|~(\S(?:[^~\n]*\S)?)~)(?![\p{L}\p{N}])/gu;

export function formatWhatsApp(text: string): ReactNode[] {
  const nodes: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const index = match.index ?? 0;
    if (index > last) nodes.push(text.slice(last, index));
    const [, mono, code, bold, italic, strike] = match;
    const key = `${index}`;
    if (mono !== undefined || code !== undefined)
      nodes.push(
        <code key={key} className="rounded bg-black/5 px-0.5 font-mono text-[0.92em]">
          {mono ?? code}
        </code>,
      );
    else if (bold !== undefined) nodes.push(<strong key={key}>{formatWhatsApp(bold)}</strong>);
    else if (italic !== undefined) nodes.push(<em key={key}>{formatWhatsApp(italic)}</em>);
    else if (strike !== undefined) nodes.push(<s key={key}>{formatWhatsApp(strike)}</s>);
    last = index + match[0].length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

/** The text without its markers, for one-line previews: `*12345*` reads 12345. */
export function stripWhatsAppFormatting(text: string): string {
  return text.replace(pattern, (_whole, mono, code, bold, italic, strike) =>
    mono !== undefined || code !== undefined ? (mono ?? code) : stripWhatsAppFormatting(bold ?? italic ?? strike),
  );
}

// Non-global twin for tests: a global regex's lastIndex would leak into the next matchAll.
const probe = new RegExp(pattern.source, "u");

export const hasWhatsAppFormatting = (text: string) => probe.test(text);

export function WhatsAppText({ text }: { text: string }) {
  return <Fragment>{formatWhatsApp(text)}</Fragment>;
}
