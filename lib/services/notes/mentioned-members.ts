/**
 * The members a note names as `@Name` (case-insensitive, ending at a non-letter). Longer names are
 * matched first and taken out of the text, so "@Bo Agent" does not also name a member called "Bo".
 */
export function findMentionedMembers<M extends { id: string; name: string }>(text: string, members: M[]): M[] {
  let rest = text.toLowerCase();
  const found: M[] = [];
  for (const member of [...members].sort((a, b) => b.name.length - a.name.length)) {
    const tag = `@${member.name.toLowerCase()}`;
    const pattern = new RegExp(`${tag.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}])`, "gu");
    if (!pattern.test(rest)) continue;
    found.push(member);
    rest = rest.replace(pattern, " ");
  }
  return found;
}
