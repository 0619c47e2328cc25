import type { DirectoryGroup } from '../../shared/domain/directory-snapshot.ts'
import { normalizedAddress } from './plain-address.ts'
import type { PlanIntegration } from './plan-types.ts'
import type { DesiredUsers } from './desired-users.ts'
import type { IndexedDirectoryGroup } from './indexed-snapshot.ts'
import type { SnapshotRowKeys } from './snapshot-row-keys.ts'
import type { SourceSets } from './source-set.ts'

export interface DesiredGroup {
  readonly key: string
  readonly name: string
  readonly address: string | null
  sources: number
  /** Desired user numbers, each once, in the order the directories list them; `memberSources` parallel. */
  members: Int32Array
  memberSources: Int32Array
}

interface Contribution {
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
export function buildDesiredGroups(live: readonly PlanIntegration[], sets: SourceSets, rowKeys: readonly SnapshotRowKeys[], users: DesiredUsers): Map<string, DesiredGroup> {
  const groups = new Map<string, DesiredGroup>()
  const contributions = new Map<DesiredGroup, Contribution[]>()
  live.forEach((integration, index) => {
    const bit = sets.bit(index)
    const keys = rowKeys[index] as SnapshotRowKeys
    for (const group of integration.snapshot?.groups ?? []) {
      const address = group.address ? normalizedAddress(group.address) : null
      const key = address ?? `${integration.id}:${group.externalId}`
      let desired = groups.get(key)
      if (!desired) {
        desired = { key, name: group.name, address, sources: 0, members: EMPTY, memberSources: EMPTY }
        groups.set(key, desired)
        contributions.set(desired, [])
      }
      desired.sources |= bit
      contributions.get(desired)?.push({ bit, keys, group })
    }
  })

  // Per desired user: the group (serial) it was last added to, and at which position; this makes
  // "already a member?" an array read instead of a Map per group.
  const seenIn = new Int32Array(users.count).fill(-1)
  const seenAt = new Int32Array(users.count)
  let members: Int32Array = new Int32Array(1024)
  let masks: Int32Array = new Int32Array(1024)
  let serial = 0
  for (const [desired, parts] of contributions) {
    const only = parts.length === 1 ? parts[0] : undefined
    if (only && only.keys.distinctMembers && !users.anyFolded) {
      // The common case (one directory lists the group, one row per person): no duplicate can
      // arise, so the members are the rows' users as they are, with no per-member bookkeeping.
      const size = (only.group as IndexedDirectoryGroup).memberRows.length
      if (size > members.length) members = new Int32Array(size)
      const count = only.keys.copyMembers(only.group, members, 0)
      desired.members = members.slice(0, count)
      desired.memberSources = new Int32Array(count).fill(only.bit)
      serial++
      continue
    }
    let count = 0
    for (const { bit, keys, group } of parts) {
      keys.forEachMember(group, (filed) => {
        const number = users.resolve(filed)
        if (seenIn[number] === serial) {
          const at = seenAt[number] ?? 0
          masks[at] = (masks[at] ?? 0) | bit
          return
        }
        if (count === members.length) {
          members = grow(members)
          masks = grow(masks)
        }
        seenIn[number] = serial
        seenAt[number] = count
        members[count] = number
        masks[count] = bit
        count++
      })
    }
    desired.members = members.slice(0, count)
    desired.memberSources = masks.slice(0, count)
    serial++
  }
  return groups
}

const EMPTY = new Int32Array(0)

function grow(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2)
  bigger.set(array)
  return bigger
}
