import { mentionPattern } from "@/lib/mentions";

/**
 * The members a note names as `@Name` (see mentionPattern: case-insensitive, the longest name at
 * each place, so "@Bo Agent" does not also name a member called "Bo"). Longest names first; of
 * members who share a name, the first is named.
 */
export function findMentionedMembers<M extends { id: string; name: string }>(text: string, members: M[]): M[] {
  const pattern = mentionPattern(members.map((m) => m.name));
  if (!pattern) return [];
  const named = new Set([...text.matchAll(pattern)].map((match) => match[1]!.slice(1).toLowerCase()));
  const byName = new Map<string, M>();
  for (const member of [...members].sort((a, b) => b.name.length - a.name.length)) {
    const name = member.name.toLowerCase();
    if (named.has(name) && !byName.has(name)) byName.set(name, member);
  }
  return [...byName.values()];
}
