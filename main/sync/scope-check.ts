import { addressScopeReason } from './address-scope.ts'

/**
 * `addressScopeReason` for one integration's addresses, remembering the last domain's answer:
 * the answer depends on the domain only, and a directory's addresses are nearly all in one or
 * two domains, so this saves a domain string (and its lower-cased copy) per address.
 */
export function scopeCheck(internalDomains: readonly string[], integrationDomains: readonly string[]): (address: string) => string | null {
  /** "@domain" of the last address checked, as it appears in the address. */
  let lastSuffix: string | null = null
  let lastReason: string | null = null
  return (address) => {
    // Same suffix, and its "@" is the last one: the same domain, so the same answer.
    if (lastSuffix !== null && address.endsWith(lastSuffix) && address.lastIndexOf('@') === address.length - lastSuffix.length) return lastReason
    const at = address.lastIndexOf('@')
    lastSuffix = at < 0 ? null : address.slice(at)
    lastReason = addressScopeReason(address, internalDomains, integrationDomains)
    return lastReason
  }
}
