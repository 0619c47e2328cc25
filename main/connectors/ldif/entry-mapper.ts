import type { DirectoryGroup, DirectoryUser } from '../../../shared/domain/directory-snapshot.ts'
import { ConnectorError } from '../connector-error.ts'
import type { DirectoryEntry } from './directory-entry.ts'
import { allText, firstText, ownString } from './directory-entry.ts'
import { isAccountDisabled } from '../../directory-rules/account-control.ts'
import { displayNameOf } from '../../directory-rules/display-name.ts'
import { firstRdnValue, normalizeDn, withoutOptionalUid } from '../../directory-rules/distinguished-name.ts'
import { guidFromValue } from '../../directory-rules/object-guid.ts'
import { type MailAddresses, listedAddresses, proxyAddresses } from '../../directory-rules/proxy-addresses.ts'
import { type AttributeRange, parseRangedAttribute, rangesComplete } from '../../directory-rules/ranged-attribute.ts'
import type { WarningTally } from './warning-tally.ts'

/** objectClass values (lower-cased) that make an entry a user; computers (AD `user` + `computer`) are not. */
const USER_CLASSES: ReadonlySet<string> = new Set(['user', 'person', 'inetorgperson', 'dominoperson'])
const GROUP_CLASSES: ReadonlySet<string> = new Set(['group', 'groupofnames', 'groupofuniquenames', 'posixgroup', 'dominogroup'])

/** Attributes copied onto a user (lower-cased name in the file → name in the snapshot), first value only. */
const USER_ATTRIBUTES: ReadonlyArray<readonly [string, string]> = [
  ['department', 'department'],
  ['title', 'title'],
  ['employeeid', 'employeeID'],
  ['employeenumber', 'employeeNumber'],
  ['samaccountname', 'sAMAccountName'],
  ['uid', 'uid'],
]

/** Every attribute (lower-cased) the mapping reads; parsers may drop the rest. */
export const MAPPED_ATTRIBUTES: ReadonlySet<string> = new Set([
  'objectclass',
  'objectguid',
  'entryuuid',
  'proxyaddresses',
  'mail',
  'maillocaladdress',
  'displayname',
  'cn',
  'useraccountcontrol',
  'member',
  'uniquemember',
  'memberuid',
  ...USER_ATTRIBUTES.map(([source]) => source),
])

interface PendingGroup {
  readonly externalId: string
  readonly name: string
  readonly address: string | null
  readonly label: string
  /** Members already resolved to user externalIds when the group was read. */
  readonly userIds: string[]
  /** Normalised member DNs not known yet when the group was read (later users, groups, or dangling). */
  readonly memberDns: string[]
  /** posixGroup memberUid values not known yet (lower-cased). */
  readonly memberUids: string[]
}

interface ResolvedGroup {
  readonly pending: PendingGroup
  readonly userIds: ReadonlySet<string>
  readonly childDns: readonly string[]
}

/**
 * Turns entries into users as they arrive (so they can be streamed) and remembers groups until the
 * end of the file, when every member DN can be resolved and nested groups flattened.
 */
export interface EntryMapper {
  /** The user this entry maps to, or null (a group, a skipped user, anything else). Throws on a duplicate. */
  add(entry: DirectoryEntry): DirectoryUser | null
  /** Resolves members and flattens nesting; call once, after the last entry. */
  finishGroups(): DirectoryGroup[]
}

export function createEntryMapper(fileName: string, warnings: WarningTally): EntryMapper {
  const userIdByDn = new Map<string, string>()
  /** The same, keyed by the DN exactly as written: exports repeat it verbatim in member values, so most lookups skip normalising. */
  const userIdByWrittenDn = new Map<string, string>()
  const userIdByUid = new Map<string, string>()
  const ownerOfAddress = new Map<string, { readonly dn: string; readonly line: number }>()
  /** externalId → line of the entry that claimed it. */
  const seenIds = new Map<string, number>()
  const groupsByDn = new Map<string, PendingGroup>()
  /** DNs of entries that exist but are not synced (skipped users, computers, OUs…): members pointing there are not "missing". */
  const otherDns = new Set<string>()

  function claimId(externalId: string, entry: DirectoryEntry): void {
    const previous = seenIds.get(externalId)
    if (previous !== undefined) {
      throw new ConnectorError('malformed-data', `${fileName} line ${entry.line}: "${entry.dn}" has the same id (${externalId}) as the entry on line ${previous}; an export lists each entry once`)
    }
    seenIds.set(externalId, entry.line)
  }

  function externalIdOf(entry: DirectoryEntry): string {
    const guid = entry.attributes.get('objectguid')?.[0]
    if (guid !== undefined) {
      const id = guidFromValue(guid)
      if (id !== null) return id
      warnings.note('invalid-guid', `${entry.dn} (line ${entry.line})`)
    }
    const entryUuid = firstText(entry, 'entryuuid')
    return ownString(entryUuid !== null ? entryUuid.toLowerCase() : normalizeDn(entry.dn))
  }

  /**
   * The directory rules, as the live LDAP/AD read applies them: an entry with proxyAddresses is
   * AD-shaped (SMTP: primary, smtp: aliases, mail as fallback); otherwise mail values, then
   * mailLocalAddress values, first one primary.
   */
  function addressesOf(entry: DirectoryEntry, invalid: (value: string) => void): MailAddresses {
    const proxies = allText(entry, 'proxyaddresses')
    if (proxies.length > 0) return proxyAddresses(proxies, firstText(entry, 'mail') ?? undefined, invalid)
    return listedAddresses([...allText(entry, 'mail'), ...allText(entry, 'maillocaladdress')], invalid)
  }

  function mapUser(entry: DirectoryEntry, dn: string): DirectoryUser | null {
    const { primary, aliases } = addressesOf(entry, (value) => warnings.note('invalid-alias', `'${value}' of ${entry.dn} (line ${entry.line})`))
    if (primary === null) {
      warnings.note('user-without-address', `${entry.dn} (line ${entry.line})`)
      otherDns.add(ownString(dn))
      return null
    }
    const externalId = externalIdOf(entry)
    claimId(externalId, entry)
    const owner = ownerOfAddress.get(primary)
    if (owner !== undefined) {
      throw new ConnectorError(
        'malformed-data',
        `${fileName}: two users have the same primary address ${primary}: "${owner.dn}" (line ${owner.line}) and "${entry.dn}" (line ${entry.line}). Fix the export so each address belongs to one user.`,
      )
    }
    ownerOfAddress.set(primary, { dn: ownString(entry.dn), line: entry.line })
    userIdByDn.set(ownString(dn), externalId)
    userIdByWrittenDn.set(ownString(entry.dn), externalId)
    const uids = allText(entry, 'uid')
    for (const uid of uids.length > 0 ? uids : allText(entry, 'samaccountname')) userIdByUid.set(ownString(uid.toLowerCase()), externalId)

    const attributes: Record<string, string> = {}
    for (const [source, target] of USER_ATTRIBUTES) {
      const value = firstText(entry, source)
      if (value !== null) attributes[target] = ownString(value)
    }
    return {
      externalId,
      primaryAddress: ownString(primary),
      aliases: aliases.map(ownString),
      displayName: ownString(displayNameOf(firstText(entry, 'displayname'), firstText(entry, 'cn')) ?? firstRdnValue(entry.dn)),
      enabled: !isAccountDisabled(firstText(entry, 'useraccountcontrol')),
      attributes,
    }
  }

  function addGroup(entry: DirectoryEntry, dn: string): void {
    const externalId = externalIdOf(entry)
    claimId(externalId, entry)
    const found = addressesOf(entry, (value) => warnings.note('invalid-alias', `'${value}' of ${entry.dn} (line ${entry.line})`)).primary
    const address = found === null ? null : ownString(found)
    const name = ownString(displayNameOf(firstText(entry, 'cn'), firstText(entry, 'displayname')) ?? firstRdnValue(entry.dn))
    const group: PendingGroup = { externalId, name, address, label: `group '${name}' (line ${entry.line})`, userIds: [], memberDns: [], memberUids: [] }
    const addMember = (member: string) => {
      const written = userIdByWrittenDn.get(member)
      if (written !== undefined) {
        group.userIds.push(written)
        return
      }
      const memberDn = normalizeDn(member)
      const userId = userIdByDn.get(memberDn)
      if (userId !== undefined) group.userIds.push(userId)
      else group.memberDns.push(ownString(memberDn))
    }
    for (const member of memberValues(entry, fileName)) addMember(member)
    for (const member of allText(entry, 'uniquemember')) addMember(withoutOptionalUid(member))
    for (const uid of allText(entry, 'memberuid')) {
      const userId = userIdByUid.get(uid.toLowerCase())
      if (userId !== undefined) group.userIds.push(userId)
      else group.memberUids.push(ownString(uid.toLowerCase()))
    }
    groupsByDn.set(ownString(dn), group)
  }

  return {
    add(entry) {
      const classes = new Set(allText(entry, 'objectclass').map((value) => value.toLowerCase()))
      const dn = normalizeDn(entry.dn)
      if (userIdByDn.has(dn) || groupsByDn.has(dn) || otherDns.has(dn)) {
        throw new ConnectorError('malformed-data', `${fileName} line ${entry.line}: the DN "${entry.dn}" appears twice; an export lists each entry once`)
      }
      if (!classes.has('computer') && [...classes].some((name) => USER_CLASSES.has(name))) return mapUser(entry, dn)
      if ([...classes].some((name) => GROUP_CLASSES.has(name))) addGroup(entry, dn)
      else otherDns.add(ownString(dn))
      return null
    },

    finishGroups() {
      const resolved = new Map<string, ResolvedGroup>()
      for (const [dn, group] of groupsByDn) {
        const userIds = new Set(group.userIds)
        const childDns: string[] = []
        for (const memberDn of group.memberDns) {
          const userId = userIdByDn.get(memberDn)
          if (userId !== undefined) userIds.add(userId)
          else if (groupsByDn.has(memberDn)) childDns.push(memberDn)
          else if (!otherDns.has(memberDn)) warnings.note('unresolved-member', `${memberDn} in ${group.label}`)
        }
        for (const uid of group.memberUids) {
          const userId = userIdByUid.get(uid)
          if (userId !== undefined) userIds.add(userId)
          else warnings.note('unresolved-member', `memberUid ${uid} in ${group.label}`)
        }
        resolved.set(dn, { pending: group, userIds, childDns })
      }

      const groups: DirectoryGroup[] = []
      for (const [dn, group] of resolved) {
        const memberIds = new Set(group.userIds)
        // Walk nested groups breadth-first; `visited` makes a cycle (A ⊃ B ⊃ A) end instead of looping.
        const visited = new Set([dn])
        const queue = [...group.childDns]
        let inCycle = false
        while (queue.length > 0) {
          const childDn = queue.pop() ?? ''
          if (childDn === dn) inCycle = true
          if (visited.has(childDn)) continue
          visited.add(childDn)
          const child = resolved.get(childDn)
          if (child === undefined) continue
          for (const id of child.userIds) memberIds.add(id)
          queue.push(...child.childDns)
        }
        if (inCycle) warnings.note('group-cycle', group.pending.label)
        const { externalId, name, address } = group.pending
        groups.push({ externalId, name, address, memberIds: [...memberIds] })
      }
      return groups
    },
  }
}

/**
 * A group's `member` values, including range-qualified ones (`member;range=0-1499`, as an
 * ldapsearch of a large AD group writes them). Slices that do not cover every value (an export
 * that did not follow range retrieval) make the file incomplete: refused, as a live read cut short is.
 */
function memberValues(entry: DirectoryEntry, fileName: string): string[] {
  const values = allText(entry, 'member')
  const ranges: AttributeRange[] = []
  for (const key of entry.attributes.keys()) {
    const range = parseRangedAttribute(key)
    if (range === null || range.attribute !== 'member') continue
    ranges.push(range)
    values.push(...allText(entry, key))
  }
  if (ranges.length > 0 && !rangesComplete(ranges)) {
    throw new ConnectorError(
      'incomplete-read',
      `${fileName} line ${entry.line}: the members of "${entry.dn}" are exported only in part (${ranges.map((r) => `range ${r.low}-${r.high}`).join(', ')}); export the group again following range retrieval to the last range (…-*).`,
    )
  }
  return values
}
