import { mailAddress } from './email-address.ts'

export interface MailAddresses {
  readonly primary: string | null
  /** Without the primary, each once, in the order the directory gave them. */
  readonly aliases: readonly string[]
}

/**
 * Active Directory's addresses of a user or group. `proxyAddresses`: `SMTP:` (upper-case prefix)
 * is the primary, `smtp:` (any other spelling) an alias; other types (X400:, X500:, sip:…) are not
 * mail. With no `SMTP:` value, `mail` is the primary, and failing that the first `smtp:` alias (a
 * group or user with only lower-case values still has an address). When proxyAddresses has an
 * `SMTP:` value it is authoritative and a differing `mail` is not added (Exchange keeps them equal;
 * a stale `mail` is not deliverable). `invalid` receives values that are not addresses.
 */
export function proxyAddresses(values: readonly string[], mail: string | undefined, invalid?: (value: string) => void): MailAddresses {
  let primary: string | null = null
  const aliases: string[] = []
  for (const value of values) {
    const colon = value.indexOf(':')
    if (colon <= 0) continue
    const type = value.slice(0, colon)
    if (type.toLowerCase() !== 'smtp') continue
    const address = mailAddress(value.slice(colon + 1))
    if (address === null) {
      invalid?.(value.slice(colon + 1).trim())
      continue
    }
    if (type === 'SMTP' && primary === null) primary = address
    else aliases.push(address)
  }
  if (primary === null) {
    const fallback = mail === undefined ? null : mailAddress(mail)
    if (fallback === null && mail !== undefined && mail.trim() !== '') invalid?.(mail.trim())
    primary = fallback ?? aliases[0] ?? null
  }
  return { primary, aliases: uniqueWithout(aliases, primary) }
}

/**
 * Addresses from plain mail attributes (LDAP `mail`, then `mailLocalAddress`…): the first valid
 * value is the primary, the rest aliases.
 */
export function listedAddresses(values: readonly string[], invalid?: (value: string) => void): MailAddresses {
  const addresses: string[] = []
  for (const value of values) {
    const address = mailAddress(value)
    if (address !== null) addresses.push(address)
    else if (value.trim() !== '') invalid?.(value.trim())
  }
  const primary = addresses[0] ?? null
  return { primary, aliases: uniqueWithout(addresses.slice(1), primary) }
}

function uniqueWithout(values: readonly string[], exclude: string | null): string[] {
  // A person has a handful of addresses: a scan beats building a Set for each of 100k users.
  if (values.length <= 8) {
    const out: string[] = []
    for (const v of values) if (v !== exclude && !out.includes(v)) out.push(v)
    return out
  }
  const seen = new Set<string>()
  if (exclude) seen.add(exclude)
  const out: string[] = []
  for (const v of values) {
    if (seen.has(v)) continue
    seen.add(v)
    out.push(v)
  }
  return out
}
