/**
 * The one spelling of an address the account directory keys on, and what counts as an address at
 * all. Used by every connector that maps directory data and by the planner: one rule, one place.
 */

/**
 * Surrounding whitespace dropped, Unicode composed (NFC: "é" typed or decomposed is one address),
 * lower-cased. Directories differ on all three (a trailing space in an LDAP value, a decomposed
 * name from a Mac-made CSV).
 */
export function normalizeAddress(raw: string): string {
  return raw.trim().normalize('NFC').toLowerCase()
}

/**
 * `normalizeAddress`, without allocating for an address that is already in its one spelling.
 * Directories nearly always hand over lower-case ASCII; for such a string trimming, NFC and
 * lower-casing all change nothing, so the string itself is the answer (a million short-lived
 * strings fewer per plan, and Map lookups reuse the string's cached hash).
 */
export function normalizedAddress(raw: string): string {
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i)
    // Printable ASCII except upper case: no whitespace to trim, nothing to compose or lower.
    if (code <= 0x20 || code >= 0x7f || (code >= 0x41 && code <= 0x5a)) return normalizeAddress(raw)
  }
  return raw
}

/**
 * The normalised address, or null when the value is not a mail address: exactly one `@` with
 * something on each side, and no whitespace inside. Deliberately loose beyond that (the account's
 * domains are checked by the planner). Two `@` are refused: Exchange never writes such an SMTP
 * address, and it could not be delivered to.
 */
export function mailAddress(raw: string): string | null {
  const address = normalizedAddress(raw)
  const at = address.indexOf('@')
  if (at <= 0 || at === address.length - 1 || address.indexOf('@', at + 1) >= 0) return null
  if (/\s/.test(address)) return null
  return address
}
