import { normalizeAddress } from './address-scope.ts'

/**
 * `normalizeAddress`, without allocating for an address that is already in its one spelling.
 * Directories nearly always hand over lower-case ASCII; for such a string trimming, NFC and
 * lower-casing all change nothing, so the string itself is the answer. Skipping the three copies
 * saves a million short-lived strings per plan, and the Map lookups that follow can reuse the
 * string's cached hash.
 */
export function normalizedAddress(raw: string): string {
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i)
    // Printable ASCII except upper case: no whitespace to trim, nothing to compose or lower.
    if (code <= 0x20 || code >= 0x7f || (code >= 0x41 && code <= 0x5a)) return normalizeAddress(raw)
  }
  return raw
}
