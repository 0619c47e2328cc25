/**
 * A DN as a map key, so two spellings of one DN meet (an entry's own DN and the same DN in a
 * group's member values): lower-cased, no spaces around the `,` `+` `=` separators, runs of
 * spaces inside a value collapsed to one. Escaped characters (`\,`, `\2C`) are kept as written, so
 * `CN=Smith\, John,OU=Staff` keeps its escaped comma. (Not full RFC 4514 normalisation: a
 * hex-escaped and a backslash-escaped spelling of one character do not meet; both are rare in
 * member values, which servers write in their own form.)
 */
export function normalizeDn(dn: string): string {
  if (isNormalDn(dn)) return dn
  if (!/\s[,=+]|[,=+]\s|\s\s|^\s|\s$|\\/.test(dn)) return dn.toLowerCase()
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

/**
 * Fast path of normalizeDn, run once per member value (over a million in a 100k-user directory):
 * true when the DN is printable ASCII without an upper-case letter, a backslash, a doubled space,
 * or a space next to a separator or at either end — its own normal form, so no new string is made.
 * One pass over the char codes, no allocation.
 */
function isNormalDn(dn: string): boolean {
  const last = dn.length - 1
  let previous = 0
  for (let i = 0; i <= last; i++) {
    const c = dn.charCodeAt(i)
    if (c >= 65 && c <= 90) return false // A-Z
    if (c > 126 || c < 32 || c === 92) return false // non-ASCII (toLowerCase may change it), controls, backslash
    if (c === 32) {
      if (i === 0 || i === last || previous === 44 || previous === 61 || previous === 43 || previous === 32) return false
      const following = dn.charCodeAt(i + 1)
      if (following === 44 || following === 61 || following === 43) return false
    }
    previous = c
  }
  return true
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

/** groupOfUniqueNames values may carry an optional UID after the DN: `cn=a,dc=x#'0101'B` (RFC 4517 NameAndOptionalUID). */
export function withoutOptionalUid(value: string): string {
  const hash = value.lastIndexOf("#'")
  return hash > 0 && value.endsWith("'B") && /^[01]*$/.test(value.slice(hash + 2, -2)) ? value.slice(0, hash) : value
}
