/** An address's domain, lower-cased ("" when the address has no @). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@')
  return at < 0 ? '' : address.slice(at + 1).toLowerCase()
}

/**
 * Whether an address is in scope: inside the account's internal domains (all domains count when
 * none are configured) and, when the integration narrows it, inside the integration's domains.
 * Subdomains do not count: `mail.example.com` is not `example.com`, as on the cloud console.
 */
export function addressScopeReason(address: string, internalDomains: readonly string[], integrationDomains: readonly string[]): string | null {
  const domain = domainOf(address)
  if (!domain) return 'not an email address'
  if (internalDomains.length > 0 && !internalDomains.includes(domain)) return `domain ${domain} is not an internal domain of the account`
  if (integrationDomains.length > 0 && !integrationDomains.map((d) => d.toLowerCase()).includes(domain)) {
    return `domain ${domain} is not among this integration's domains`
  }
  return null
}
