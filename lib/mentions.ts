/**
 * `@Name` for any of these names, case-insensitive, ending where the name ends (not inside a longer
 * word). Longer names come first in the alternation, so "@Bo Agent" is one mention, not "@Bo". The
 * whole mention is the pattern's one group: `text.split` gives the mentions at odd indexes.
 */
export function mentionPattern(names: readonly string[]): RegExp | null {
  const distinct = [...new Set(names.filter((n) => n.trim() !== ""))].sort((a, b) => b.length - a.length);
  if (distinct.length === 0) return null;
  const alternatives = distinct.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  return new RegExp(`(@(?:${alternatives}))(?![\\p{L}\\p{N}])`, "giu");
}
