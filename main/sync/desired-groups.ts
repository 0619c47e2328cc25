import type { DirectoryGroup } from '../../shared/domain/directory-snapshot.ts'
import { mailAddress, normalizedAddress } from '../directory-rules/email-address.ts'
import type { PlanIntegration } from '../model/plan-types.ts'
import type { DesiredUsers } from './desired-users.ts'
import type { SnapshotRowKeys } from './snapshot-row-keys.ts'
import type { SourceSets } from './source-set.ts'

export interface DesiredGroup {
  readonly key: string
  readonly name: string
  readonly address: string | null
  /** Alias addresses from every snapshot that lists the group (without `address`), sorted; most groups have none. */
  aliases: readonly string[]
  sources: number
  /** Its members are `DesiredMembers.users[from..to)` (desired user numbers, each once, in the order the directories list them). */
  from: number
  to: number
}

/**
 * Every desired group's members in two shared columns, a group being a range of them: 100k
 * groups then cost no typed array each (an object and a buffer apiece for the collector).
 */
export interface DesiredMembers {
  readonly users: Int32Array
  /** Per member: the integrations that list it in the group (mask). */
  readonly sources: Int32Array
}

interface Part {
  readonly bit: number
  readonly keys: SnapshotRowKeys
  readonly group: DirectoryGroup
}

/**
 * The union of the snapshots' groups. Groups with an address are one group across directories
 * (that is what a migration needs); groups without one are per integration. Members are desired
 * user numbers, folds resolved; a member listed by several directories is one member whose
 * sources are all of them.
 */
export function buildDesiredGroups(live: readonly PlanIntegration[], sets: SourceSets, rowKeys: readonly SnapshotRowKeys[], users: DesiredUsers): { groups: Map<string, DesiredGroup>; members: DesiredMembers } {
  const groups = new Map<string, DesiredGroup>()
  // The snapshot groups that make up each desired group, in integration order: the first inline
  // (most groups have one), any others in a list.
  const first = new Map<DesiredGroup, Part>()
  const more = new Map<DesiredGroup, Part[]>()
  let capacity = 0
  live.forEach((integration, index) => {
    const bit = sets.bit(index)
    const keys = rowKeys[index] as SnapshotRowKeys
    for (const group of integration.snapshot?.groups ?? []) {
      const address = group.address ? normalizedAddress(group.address) : null
      const key = address ?? `${integration.id}:${group.externalId}`
      let desired = groups.get(key)
      const part = { bit, keys, group }
      if (!desired) {
        desired = { key, name: group.name, address, aliases: NO_ALIASES, sources: 0, from: 0, to: 0 }
        groups.set(key, desired)
        first.set(desired, part)
      } else {
        const list = more.get(desired)
        if (list) list.push(part)
        else more.set(desired, [part])
      }
      desired.sources |= bit
      if (group.aliases && group.aliases.length > 0) desired.aliases = withAliases(desired.aliases, group.aliases, address)
      capacity += keys.memberCount(group)
    }
  })

  const members: DesiredMembers = { users: new Int32Array(capacity), sources: new Int32Array(capacity) }
  // Per desired user: the group (serial) it was last added to, and at which position; this makes
  // "already a member?" an array read instead of a Map per group.
  const seenIn = new Int32Array(users.count).fill(-1)
  const seenAt = new Int32Array(users.count)
  let count = 0
  let serial = 0
  for (const desired of groups.values()) {
    desired.from = count
    const only = first.get(desired) as Part
    const others = more.get(desired)
    if (!others && only.keys.distinctMembers && !users.anyFolded) {
      // The common case (one directory lists the group, one row per person): no duplicate can
      // arise, so the members are the rows' users as they are, with no per-member bookkeeping.
      count = only.keys.copyMembers(only.group, members.users, count)
      members.sources.fill(only.bit, desired.from, count)
    } else {
      for (const { bit, keys, group } of others ? [only, ...others] : [only]) {
        keys.forEachMember(group, (filed) => {
          const number = users.resolve(filed)
          if (seenIn[number] === serial) {
            const at = seenAt[number] ?? 0
            members.sources[at] = (members.sources[at] ?? 0) | bit
            return
          }
          seenIn[number] = serial
          seenAt[number] = count
          members.users[count] = number
          members.sources[count] = bit
          count++
        })
      }
    }
    desired.to = count
    serial++
  }
  return { groups, members }
}

const NO_ALIASES: readonly string[] = []

/** `current` and `more` (normalised), without the group's own address, each once, sorted: the same list whatever the read order. */
function withAliases(current: readonly string[], more: readonly string[], address: string | null): string[] {
  const all = new Set(current)
  for (const alias of more) {
    const normal = mailAddress(alias)
    if (normal && normal !== address) all.add(normal)
  }
  return [...all].sort()
}
