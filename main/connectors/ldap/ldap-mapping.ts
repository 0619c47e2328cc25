import type { DirectoryUser } from '../../../shared/domain/directory-snapshot.ts'
import { isAccountDisabled } from '../../directory-rules/account-control.ts'
import { displayNameOf } from '../../directory-rules/display-name.ts'
import { firstRdnValue, normalizeDn } from '../../directory-rules/distinguished-name.ts'
import { guidFromBytes } from '../../directory-rules/object-guid.ts'
import { listedAddresses, proxyAddresses } from '../../directory-rules/proxy-addresses.ts'
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
    return guidFromBytes(raw)
  }
  if (raw === undefined) return context.flavour === 'active-directory' ? null : `dn:${normalizeDn(entry.dn)}`
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

  const { primary, aliases } = map.proxyAddresses
    ? proxyAddresses(stringValues(entry, map.proxyAddresses), firstString(entry, map.mail))
    : listedAddresses(map.aliases ? [...stringValues(entry, map.mail), ...stringValues(entry, map.aliases)] : stringValues(entry, map.mail))
  if (primary === null) return { skipped: 'no-address' }

  const attributes: Record<string, string> = { dn: entry.dn }
  addAttribute(attributes, 'login', entry, map.login)
  addAttribute(attributes, 'givenName', entry, map.givenName)
  addAttribute(attributes, 'surname', entry, map.surname)
  addAttribute(attributes, 'title', entry, map.title)
  addAttribute(attributes, 'department', entry, map.department)

  const displayName = displayNameOf(firstString(entry, map.displayName), firstString(entry, map.commonName)) ?? firstRdnValue(entry.dn)
  const enabled = map.userAccountControl ? !isAccountDisabled(firstString(entry, map.userAccountControl)) : true
  return { user: { externalId, primaryAddress: primary, aliases: [...aliases], displayName, enabled, attributes } }
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
  const address = map.proxyAddresses ? proxyAddresses(stringValues(entry, map.proxyAddresses), firstString(entry, map.groupMail)).primary : listedAddresses(stringValues(entry, map.groupMail)).primary
  const name = displayNameOf(firstString(entry, map.groupName)) ?? firstRdnValue(entry.dn)
  return { group: { externalId, name, address } }
}
