import type { DirectoryUser } from '../../../shared/domain/directory-snapshot.ts'
import type { EntraConfig } from '../../../shared/domain/integration-config.ts'

/**
 * Graph's user properties this connector reads ($select), all readable with User.Read.All.
 * `assignedLicenses` tells a shared or resource mailbox from a disabled person (see isMailboxOnly).
 */
export const USER_SELECT = ['id', 'userPrincipalName', 'mail', 'proxyAddresses', 'displayName', 'accountEnabled', 'userType', 'externalUserState', 'assignedLicenses'] as const
/** What a member list needs to apply the guest/external policy to each user in it. */
export const MEMBER_SELECT = ['id', 'userType', 'userPrincipalName', 'externalUserState'] as const
export const GROUP_SELECT = ['id', 'displayName', 'mail', 'groupTypes', 'proxyAddresses'] as const

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function looksLikeAddress(value: unknown): value is string {
  return typeof value === 'string' && ADDRESS.test(value)
}

/**
 * True when a delta item is a whole user: Graph's users delta carries every selected property that
 * has a value (a missing `mail` means no mail), and the UPN and accountEnabled always have one. An
 * item without them holds only some properties: the user is read by id instead.
 */
export function isCompleteUser(item: Record<string, unknown>): boolean {
  return typeof item['userPrincipalName'] === 'string' && typeof item['accountEnabled'] === 'boolean'
}

/** The same for a group: displayName always has a value. */
export function isCompleteGroup(item: Record<string, unknown>): boolean {
  return typeof item['displayName'] === 'string'
}

/**
 * Who an account is, for the guest/external policy:
 * - `external`: a B2B identity from another organisation — a `#EXT#` user principal name or an
 *   `externalUserState` (PendingAcceptance, Accepted), whether its userType is Guest or Member
 *   (an "external member" has userType Member and a mailbox in the partner's domain). An internal
 *   account invited to B2B collaboration keeps its own UPN but has an externalUserState: it signs
 *   in with its home organisation's account from then on, and Microsoft refuses that invitation
 *   for an account with an Exchange licence, so it has no mailbox here — external too;
 * - `internal-guest`: userType Guest, no externalUserState, signing in with this tenant's own UPN
 *   (Entra accepts only the tenant's verified domains as a UPN suffix, so no domain list is
 *   needed): a contractor created as a guest, often with a mailbox in the organisation's domain;
 * - `member`: everyone else.
 */
export type EntraIdentity = 'member' | 'internal-guest' | 'external'

export function identityOf(item: Record<string, unknown>): EntraIdentity {
  const upn = item['userPrincipalName']
  const state = item['externalUserState']
  if ((typeof upn === 'string' && upn.toUpperCase().includes('#EXT#')) || (typeof state === 'string' && state !== '')) return 'external'
  return item['userType'] === 'Guest' ? 'internal-guest' : 'member'
}

/** The integration's policy: external identities only with includeGuests, internal guests unless includeInternalGuests is off. */
export function isImported(item: Record<string, unknown>, policy: Pick<EntraConfig, 'includeGuests' | 'includeInternalGuests'>): boolean {
  const identity = identityOf(item)
  return identity === 'member' || (identity === 'external' ? policy.includeGuests : policy.includeInternalGuests)
}

/**
 * A shared, room or equipment mailbox: Exchange Online creates its user account disabled (nobody
 * signs in to it) and it needs no licence, yet it receives mail — so it is imported enabled, not
 * as a disabled user. Graph's exact signal, `mailboxSettings/userPurpose` (shared, room,
 * equipment), needs the MailboxSettings.Read application permission, which also opens every
 * user's automatic replies, time zone and working hours to the app; the least-privileged app
 * (User.Read.All) sees `accountEnabled`, the mail address and `assignedLicenses`, and that is the
 * rule here: disabled, with a mailbox address (`mail` or an `SMTP:` proxy address), and no
 * licence. A leaver whose licence was removed but whose address stays is taken the same way —
 * which is also what converting a leaver's mailbox to a shared one does. An item that does not
 * carry `assignedLicenses` at all (not selected) is not judged: a disabled account stays disabled.
 */
export function isMailboxOnly(item: Record<string, unknown>): boolean {
  const licences = item['assignedLicenses']
  return item['accountEnabled'] === false && Array.isArray(licences) && licences.length === 0 && (looksLikeAddress(item['mail']) || smtpPrimary(item['proxyAddresses']) !== null)
}

/**
 * Graph user → DirectoryUser. Primary address: `mail`, else the `SMTP:` proxy address, else the
 * UPN when it is an address (cloud-only tenants without Exchange often have no `mail`). Aliases: `smtp:` proxyAddresses
 * (the `SMTP:` one is the primary). Null when the user has no address at all (reported, skipped).
 */
export function mapGraphUser(item: Record<string, unknown>): DirectoryUser | null {
  const id = item['id']
  // An empty id would key every such user onto one snapshot row.
  if (typeof id !== 'string' || id === '') return null
  const upn = typeof item['userPrincipalName'] === 'string' ? item['userPrincipalName'] : ''
  const mail = looksLikeAddress(item['mail']) ? item['mail'].toLowerCase() : null
  const proxies = item['proxyAddresses']
  // A guest's UPN (x_partner.com#EXT#@tenant…) is an address in form but not one mail reaches.
  const primary = mail ?? smtpPrimary(proxies) ?? (looksLikeAddress(upn) && !upn.includes('#EXT#') ? upn.toLowerCase() : null)
  if (!primary) return null
  const aliases = smtpAliases(proxies, primary)
  const attributes: Record<string, string> = {}
  if (upn) attributes['userPrincipalName'] = upn
  if (typeof item['userType'] === 'string') attributes['userType'] = item['userType']
  if (typeof item['externalUserState'] === 'string' && item['externalUserState']) attributes['externalUserState'] = item['externalUserState']
  const mailboxOnly = isMailboxOnly(item)
  if (mailboxOnly) attributes['mailbox'] = 'shared or resource'
  return {
    externalId: id,
    primaryAddress: primary,
    aliases,
    displayName: typeof item['displayName'] === 'string' ? item['displayName'] : primary,
    enabled: item['accountEnabled'] !== false || mailboxOnly,
    attributes,
  }
}

/** The upper-case `SMTP:` proxy address: the primary one (hybrid tenants often leave `mail` empty). */
function smtpPrimary(proxies: unknown): string | null {
  const list = Array.isArray(proxies) ? (proxies as unknown[]) : []
  return list.find((p): p is string => typeof p === 'string' && p.startsWith('SMTP:') && looksLikeAddress(p.slice(5)))?.slice(5).toLowerCase() ?? null
}

/** Every `smtp:`/`SMTP:` proxy address but `primary`, lower-cased, sorted: a user's or a group's aliases. */
export function smtpAliases(proxies: unknown, primary: string | null): string[] {
  const aliases = new Set<string>()
  for (const p of Array.isArray(proxies) ? (proxies as unknown[]) : []) {
    if (typeof p !== 'string' || !/^smtp:/i.test(p)) continue
    const address = p.slice(5).toLowerCase()
    if (address !== primary && looksLikeAddress(address)) aliases.add(address)
  }
  return [...aliases].sort()
}
