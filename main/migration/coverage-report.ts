import type { DirectorySnapshotData, DirectoryUser } from '../../shared/domain/directory-snapshot.ts'
import type { CoverageConflict, CoverageGroup, CoverageReport, CoverageUser } from '../../shared/domain/migration.ts'
import { csvRows } from '../../shared/export/csv.ts'

const lower = (s: string): string => s.trim().toLowerCase()

/**
 * Pure. How well the new directory covers the old one, matched by address: a user is matched when
 * the old primary is the new primary, matched by alias when the match goes through an alias on
 * either side; everything else is only in one of them. Conflicts: an address owned by different
 * people on the two sides, and display-name or enabled-flag differences between matched users.
 */
export function buildCoverageReport(old: DirectorySnapshotData, next: DirectorySnapshotData): CoverageReport {
  const newByAddress = new Map<string, DirectoryUser>()
  for (const user of next.users) {
    for (const address of [user.primaryAddress, ...user.aliases].map(lower)) if (!newByAddress.has(address)) newByAddress.set(address, user)
  }
  const users: CoverageUser[] = []
  const conflicts: CoverageConflict[] = []
  const matchOf = new Map<string, DirectoryUser>() // old externalId → new user
  const matchedNew = new Set<DirectoryUser>()

  for (const user of [...old.users].sort((a, b) => lower(a.primaryAddress).localeCompare(lower(b.primaryAddress)))) {
    const primary = lower(user.primaryAddress)
    let match = newByAddress.get(primary)
    let via: string | null = match ? primary : null
    if (!match) {
      for (const alias of user.aliases.map(lower).sort()) {
        match = newByAddress.get(alias)
        if (match) {
          via = alias
          break
        }
      }
    }
    if (!match || matchedNew.has(match)) {
      users.push({ category: 'only-in-old', oldPrimary: primary, newPrimary: null, oldDisplayName: user.displayName, newDisplayName: null, via: null })
      continue
    }
    matchedNew.add(match)
    matchOf.set(user.externalId, match)
    const newPrimary = lower(match.primaryAddress)
    users.push({ category: newPrimary === primary ? 'matched' : 'matched-by-alias', oldPrimary: primary, newPrimary, oldDisplayName: user.displayName, newDisplayName: match.displayName, via })
    if (user.displayName !== match.displayName) {
      conflicts.push({ kind: 'display-name', address: primary, old: user.displayName, new: match.displayName, detail: `Display name '${user.displayName}' in the old directory, '${match.displayName}' in the new one` })
    }
    if (user.enabled !== match.enabled) {
      conflicts.push({ kind: 'enabled', address: primary, old: user.enabled ? 'enabled' : 'disabled', new: match.enabled ? 'enabled' : 'disabled', detail: `${user.enabled ? 'Enabled' : 'Disabled'} in the old directory, ${match.enabled ? 'enabled' : 'disabled'} in the new one` })
    }
    for (const address of [user.primaryAddress, ...user.aliases].map(lower)) {
      const owner = newByAddress.get(address)
      if (owner && owner !== match) {
        conflicts.push({ kind: 'owner', address, old: primary, new: lower(owner.primaryAddress), detail: `${address} belongs to ${primary} in the old directory but to ${lower(owner.primaryAddress)} in the new one` })
      }
    }
  }
  for (const user of [...next.users].sort((a, b) => lower(a.primaryAddress).localeCompare(lower(b.primaryAddress)))) {
    if (!matchedNew.has(user)) users.push({ category: 'only-in-new', oldPrimary: null, newPrimary: lower(user.primaryAddress), oldDisplayName: null, newDisplayName: user.displayName, via: null })
  }

  // Groups: by address, else by name (case-insensitive); members compared through the user match.
  const groupKey = (g: { address: string | null; name: string }): string => (g.address ? `a:${lower(g.address)}` : `n:${lower(g.name)}`)
  const newGroups = new Map(next.groups.map((g) => [groupKey(g), g]))
  const newUserById = new Map(next.users.map((u) => [u.externalId, u]))
  const oldUserById = new Map(old.users.map((u) => [u.externalId, u]))
  const groups: CoverageGroup[] = []
  const seen = new Set<string>()
  for (const group of old.groups) {
    const key = groupKey(group)
    const counterpart = newGroups.get(key)
    if (!counterpart) {
      groups.push({ category: 'only-in-old', oldName: group.name, newName: null, address: group.address, membersOnlyInOld: [], membersOnlyInNew: [] })
      continue
    }
    seen.add(key)
    const newMembers = new Set(counterpart.memberIds)
    const mappedOld = new Set<string>()
    const onlyOld: string[] = []
    for (const id of group.memberIds) {
      const match = matchOf.get(id)
      if (match && newMembers.has(match.externalId)) mappedOld.add(match.externalId)
      else onlyOld.push(lower(oldUserById.get(id)?.primaryAddress ?? id))
    }
    const onlyNew = counterpart.memberIds.filter((id) => !mappedOld.has(id)).map((id) => lower(newUserById.get(id)?.primaryAddress ?? id))
    groups.push({ category: 'matched', oldName: group.name, newName: counterpart.name, address: group.address, membersOnlyInOld: onlyOld.sort(), membersOnlyInNew: onlyNew.sort() })
  }
  for (const [key, group] of newGroups) if (!seen.has(key)) groups.push({ category: 'only-in-new', oldName: null, newName: group.name, address: group.address, membersOnlyInOld: [], membersOnlyInNew: [] })

  const count = (c: CoverageUser['category']): number => users.filter((u) => u.category === c).length
  return {
    counts: {
      oldUsers: old.users.length,
      newUsers: next.users.length,
      matched: count('matched'),
      matchedByAlias: count('matched-by-alias'),
      onlyInOld: count('only-in-old'),
      onlyInNew: count('only-in-new'),
      conflicts: conflicts.length,
      oldGroups: old.groups.length,
      newGroups: next.groups.length,
      matchedGroups: groups.filter((g) => g.category === 'matched').length,
      groupsOnlyInOld: groups.filter((g) => g.category === 'only-in-old').length,
      groupsOnlyInNew: groups.filter((g) => g.category === 'only-in-new').length,
      groupsWithMembershipDifferences: groups.filter((g) => g.membersOnlyInOld.length + g.membersOnlyInNew.length > 0).length,
    },
    users,
    conflicts,
    groups,
  }
}

/** The report as CSV: one row per user, then one per conflict. */
export function coverageToCsv(report: CoverageReport): string {
  const rows = [['record', 'category', 'old primary', 'new primary', 'old display name', 'new display name', 'matched via / detail']]
  for (const u of report.users) rows.push(['user', u.category, u.oldPrimary ?? '', u.newPrimary ?? '', u.oldDisplayName ?? '', u.newDisplayName ?? '', u.via ?? ''])
  for (const c of report.conflicts) rows.push(['conflict', c.kind, c.old, c.new, '', '', c.detail])
  for (const g of report.groups) rows.push(['group', g.category, g.oldName ?? '', g.newName ?? '', '', '', [...g.membersOnlyInOld.map((m) => `-${m}`), ...g.membersOnlyInNew.map((m) => `+${m}`)].join(' ')])
  return csvRows(rows, '\n')
}
