/**
 * A copy of a string that shares no memory with another. The search-entry decoder hands out values
 * as substrings of their entry's text, and V8 keeps a substring's whole parent alive: whatever a
 * read keeps until its end (user ids, member DNs, group names) is copied, or it would hold on to
 * every entry it came from (a 5,000-member group's text for one group name). Strings under 13
 * characters are always copies in V8.
 */
export function detached(value: string): string {
  return value.length < 13 ? value : Buffer.from(value, 'utf8').toString('utf8')
}
