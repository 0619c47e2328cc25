/**
 * A DN in a form two spellings of the same DN share: lower-cased, no spaces around the `,` `+` `=`
 * separators, runs of spaces inside a value collapsed to one. Escaped characters (`\,`, `\2C`)
 * are kept as written, so `CN=Smith\, John,OU=Staff` keeps its escaped comma.
 */
/** Spaces next to a separator, doubled, leading or trailing, or an escape: anything the fast path cannot keep as is. */
const NEEDS_TIDYING = /\s[,=+]|[,=+]\s|\s\s|^\s|\s$|\\/

export function normalizeDn(dn: string): string {
  // Fast paths for the common DNs (most member values of a large export): nothing to tidy, or no escapes.
  if (!NEEDS_TIDYING.test(dn)) return dn.toLowerCase()
  if (!dn.includes('\\')) return dn.replace(/\s*([,=+])\s*/g, '$1').replace(/ {2,}/g, ' ').trim().toLowerCase()
  const parts: string[] = []
  let current = ''
  for (let index = 0; index < dn.length; index++) {
    const char = dn.charAt(index)
    if (char === '\\' && index + 1 < dn.length) {
      current += char + dn.charAt(index + 1)
      index++
    } else if (char === ',' || char === '+' || char === '=') {
      parts.push(current.trim(), char)
      current = ''
    } else {
      current += char
    }
  }
  parts.push(current.trim())
  return parts.join('').replace(/ {2,}/g, ' ').toLowerCase()
}

/** The value of a DN's first RDN (`CN=Sales Team,OU=Groups` → `Sales Team`), unescaped simply. */
export function firstRdnValue(dn: string): string {
  let end = 0
  while (end < dn.length) {
    const char = dn.charAt(end)
    if (char === '\\') end += 2
    else if (char === ',' || char === '+') break
    else end++
  }
  const rdn = dn.slice(0, end)
  const equals = rdn.indexOf('=')
  return rdn
    .slice(equals + 1)
    .trim()
    .replace(/\\([,+"\\<>;=#])/g, '$1')
}
