import type { DirectoryUser } from '../../../shared/domain/directory-snapshot.ts'
import type { LdapAttributeMap, LdapFlavour } from './ldap-presets.ts'

/** An entry as ldapts returns it: attribute type (as the server spells it) → value(s). */
export interface RawEntry {
  readonly dn: string
  readonly [attribute: string]: Buffer | Buffer[] | string | string[]
}

export interface MappingContext {
  readonly flavour: LdapFlavour
  readonly map: LdapAttributeMap
  /** Domino: skip entries whose "Allow Foreign Directory Synchronization" is No. */
  readonly honourForeignDirectorySync: boolean
}

/** An attribute's value as the entry holds it; servers may spell the type in another case than we asked. */
function rawValue(entry: RawEntry, name: string): RawEntry[string] | undefined {
  if (!name) return undefined
  const value = entry[name]
  if (value !== undefined) return value
  const lower = name.toLowerCase()
  for (const key of Object.keys(entry)) if (key.toLowerCase() === lower) return entry[key]
  return undefined
}

/** All values of an attribute. */
export function attributeValues(entry: RawEntry, name: string): readonly (string | Buffer)[] {
  const value = rawValue(entry, name)
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

/**
 * All values as text. The entry's own array when every value already is a string (the usual case:
 * ldapts decodes non-binary values), so a 100,000-value member list is not copied.
 */
export function stringValues(entry: RawEntry, name: string): readonly string[] {
  const values = attributeValues(entry, name)
  for (const v of values) if (typeof v !== 'string') return values.map((x) => (typeof x === 'string' ? x : x.toString('utf8')))
  return values as readonly string[]
}

/** The first value as text (called ~10 times per user: no list is made for it). */
export function firstString(entry: RawEntry, name: string): string | undefined {
  const value = rawValue(entry, name)
  const first = Array.isArray(value) ? (value as readonly (string | Buffer)[])[0] : value
  if (first === undefined) return undefined
  return typeof first === 'string' ? first : first.toString('utf8')
}

/**
 * objectGUID (16 bytes) → canonical GUID string. AD stores the first three fields little-endian,
 * so the bytes are swapped the way Windows prints them: 3210-54-76-89-ABCDEF.
 */
export function guidToString(bytes: Buffer): string {
  if (bytes.length !== 16) throw new RangeError(`a GUID is 16 bytes, got ${bytes.length}`)
  const h = bytes.toString('hex')
  const swap = (hex: string) => hex.match(/../g)!.reverse().join('')
  return `${swap(h.slice(0, 8))}-${swap(h.slice(8, 12))}-${swap(h.slice(12, 16))}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** The inverse of guidToString, for `(objectGUID=…)` filters and tests. */
export function guidToBytes(guid: string): Buffer {
  const hex = guid.replace(/-/g, '')
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError('not a GUID')
  const swap = (part: string) => part.match(/../g)!.reverse().join('')
  return Buffer.from(swap(hex.slice(0, 8)) + swap(hex.slice(8, 12)) + swap(hex.slice(12, 16)) + hex.slice(16), 'hex')
}

/** userAccountControl bit 2 (ACCOUNTDISABLE, 0x0002). Absent or unparsable → enabled. */
export function isAccountDisabled(userAccountControl: string | undefined): boolean {
  if (userAccountControl === undefined) return false
  const flags = Number.parseInt(userAccountControl, 10)
  return Number.isFinite(flags) && (flags & 0x2) !== 0
}

/**
 * proxyAddresses → addresses. `SMTP:` (upper case prefix) is the primary, `smtp:` are aliases,
 * other types (X400:, sip:, X500:…) are ignored. With no `SMTP:` value, `mail` is the primary
 * (and failing that the first alias). When proxyAddresses has SMTP values it is authoritative and
 * a differing `mail` is not added (Exchange keeps them equal; a stale `mail` is not deliverable).
 */
export function parseProxyAddresses(values: readonly string[], mail: string | undefined): { primary: string | null; aliases: string[] } {
  let primary: string | null = null
  const aliases: string[] = []
  for (const value of values) {
    const colon = value.indexOf(':')
    if (colon <= 0) continue
    const type = value.slice(0, colon)
    if (type.toLowerCase() !== 'smtp') continue
    const address = normaliseAddress(value.slice(colon + 1))
    if (!address) continue
    if (type === 'SMTP' && primary === null) primary = address
    else aliases.push(address)
  }
  if (primary === null) {
    const fallback = mail === undefined ? null : normaliseAddress(mail)
    primary = fallback ?? aliases[0] ?? null
  }
  return { primary, aliases: uniqueWithout(aliases, primary) }
}

/** Lower-cased, trimmed address; null when it is not an address at all. */
export function normaliseAddress(value: string): string | null {
  const address = value.trim().toLowerCase()
  const at = address.indexOf('@')
  return at > 0 && at < address.length - 1 && !/\s/.test(address) ? address : null
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

/**
 * A DN as a map key: lower case, no spaces around separators. Member values are usually in the
 * server's own form, so the cheap path (no spaces next to ',', '=' or '+') is the common one.
 * (Not full RFC 4514 normalisation: hex-escaped and backslash-escaped forms of one character are
 * rare in member values and would not match.)
 */
export function normaliseDn(dn: string): string {
  if (isCanonicalDn(dn)) return dn
  const lower = dn.toLowerCase()
  return /\s[,=+]|[,=+]\s|^\s|\s$/.test(lower) ? lower.replace(/\s*([,=+])\s*/g, '$1').trim() : lower
}

/**
 * Fast path of normaliseDn, run once per member value (over a million in a 100k-user directory):
 * true when the DN is printable ASCII with no upper-case letter and no space next to a separator
 * or at either end, so it is its own normal form and no new string is made. One pass over the
 * char codes, no allocation.
 */
function isCanonicalDn(dn: string): boolean {
  const last = dn.length - 1
  let previous = 0
  for (let i = 0; i <= last; i++) {
    const c = dn.charCodeAt(i)
    if (c >= 65 && c <= 90) return false // A-Z
    if (c > 126) return false // non-ASCII: toLowerCase may change it
    if (c === 32) {
      if (i === 0 || i === last || previous === 44 || previous === 61 || previous === 43) return false
      const following = dn.charCodeAt(i + 1)
      if (following === 44 || following === 61 || following === 43) return false
    } else if (c < 32) return false
    previous = c
  }
  return true
}

/** groupOfUniqueNames values may carry an optional UID suffix: `cn=x,dc=y#'0101'B`. */
export function stripUniqueMemberUid(value: string): string {
  const hash = value.lastIndexOf("#'")
  return hash > 0 && value.endsWith("'B") ? value.slice(0, hash) : value
}

/** `member;range=0-1499` → { attribute: 'member', low: 0, high: 1499 }; `…=1500-*` → high '*'. */
export function parseRangedAttribute(name: string): { attribute: string; low: number; high: number | '*' } | null {
  const match = /^([^;]+);range=(\d+)-(\d+|\*)$/i.exec(name)
  if (!match) return null
  return { attribute: match[1]!, low: Number(match[2]), high: match[3] === '*' ? '*' : Number(match[3]) }
}

/** Domino stores the checkbox as 1/0 (older templates: Yes/No). Absent = allowed. */
export function isForeignSyncDenied(value: string | undefined): boolean {
  if (value === undefined) return false
  const v = value.trim().toLowerCase()
  return v === '0' || v === 'no' || v === 'false' || v === 'n'
}

/** The external id: GUID string for AD, the attribute's value otherwise, the normalised DN as a last resort (never for AD). */
export function externalIdOf(entry: RawEntry, context: MappingContext): string | null {
  const [raw] = attributeValues(entry, context.map.externalId)
  if (context.flavour === 'active-directory' && context.map.externalId.toLowerCase() === 'objectguid') {
    if (raw === undefined) return null
    if (typeof raw === 'string') return null // a GUID that decoded as text would be ambiguous; ldapts is told to keep it binary
    return raw.length === 16 ? guidToString(raw) : null
  }
  if (raw === undefined) return context.flavour === 'active-directory' ? null : `dn:${normaliseDn(entry.dn)}`
  return (typeof raw === 'string' ? raw : raw.toString('hex')).toLowerCase()
}

/** The id an entry is kept under; null when the mapping skips it whatever its addresses (no id, or Domino's opt-out). */
export function scopedIdOf(entry: RawEntry, context: MappingContext): string | null {
  const { map } = context
  if (context.honourForeignDirectorySync && map.foreignDirectorySync && isForeignSyncDenied(firstString(entry, map.foreignDirectorySync))) return null
  return externalIdOf(entry, context)
}

export type UserMapping = { readonly user: DirectoryUser } | { readonly skipped: 'no-id' | 'no-address' | 'foreign-sync-denied' }

export function mapUser(entry: RawEntry, context: MappingContext): UserMapping {
  const { map } = context
  if (context.honourForeignDirectorySync && map.foreignDirectorySync && isForeignSyncDenied(firstString(entry, map.foreignDirectorySync))) {
    return { skipped: 'foreign-sync-denied' }
  }
  const externalId = externalIdOf(entry, context)
  if (externalId === null) return { skipped: 'no-id' }

  let primary: string | null
  let aliases: string[]
  if (map.proxyAddresses) {
    ;({ primary, aliases } = parseProxyAddresses(stringValues(entry, map.proxyAddresses), firstString(entry, map.mail)))
  } else {
    const addresses: string[] = []
    for (const value of stringValues(entry, map.mail)) {
      const a = normaliseAddress(value)
      if (a) addresses.push(a)
    }
    if (map.aliases) {
      for (const value of stringValues(entry, map.aliases)) {
        const a = normaliseAddress(value)
        if (a) addresses.push(a)
      }
    }
    primary = addresses[0] ?? null
    aliases = uniqueWithout(addresses.slice(1), primary)
  }
  if (primary === null) return { skipped: 'no-address' }

  const attributes: Record<string, string> = { dn: entry.dn }
  addAttribute(attributes, 'login', entry, map.login)
  addAttribute(attributes, 'givenName', entry, map.givenName)
  addAttribute(attributes, 'surname', entry, map.surname)
  addAttribute(attributes, 'title', entry, map.title)
  addAttribute(attributes, 'department', entry, map.department)

  const displayName = firstString(entry, map.displayName) || firstString(entry, map.commonName) || primary
  const enabled = map.userAccountControl ? !isAccountDisabled(firstString(entry, map.userAccountControl)) : true
  return { user: { externalId, primaryAddress: primary, aliases, displayName, enabled, attributes } }
}

function addAttribute(attributes: Record<string, string>, key: string, entry: RawEntry, attribute: string): void {
  const value = firstString(entry, attribute)
  if (value !== undefined && value !== '') attributes[key] = value
}

export interface GroupBasics {
  readonly externalId: string
  readonly name: string
  readonly address: string | null
}

export type GroupMapping = { readonly group: GroupBasics } | { readonly skipped: 'no-id' | 'foreign-sync-denied' }

export function mapGroupBasics(entry: RawEntry, context: MappingContext): GroupMapping {
  const { map } = context
  if (context.honourForeignDirectorySync && map.foreignDirectorySync && isForeignSyncDenied(firstString(entry, map.foreignDirectorySync))) {
    return { skipped: 'foreign-sync-denied' }
  }
  const externalId = externalIdOf(entry, context)
  if (externalId === null) return { skipped: 'no-id' }
  let address: string | null = null
  if (map.proxyAddresses) address = parseProxyAddresses(stringValues(entry, map.proxyAddresses), firstString(entry, map.groupMail)).primary
  else {
    const mail = firstString(entry, map.groupMail)
    address = mail === undefined ? null : normaliseAddress(mail)
  }
  const name = firstString(entry, map.groupName) || entry.dn
  return { group: { externalId, name, address } }
}
