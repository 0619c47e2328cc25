import { walkGroups } from '../walk-groups.ts'
import type { MemberExpectation } from './entra-cursor.ts'

/**
 * Group membership as Graph's groups delta reports it (`members@delta`), and the checks that keep a
 * lagging replica's member list from being taken for the truth.
 */

/** Direct members of one group, split by kind (other directory objects — devices, apps — are ignored). */
export interface DirectMembers {
  readonly users: Set<string>
  readonly groups: Set<string>
}

const USER = '#microsoft.graph.user'
const GROUP = '#microsoft.graph.group'

/** Adds a `members@delta` list (one page of it: Graph may split a group's list over pages) to the direct members. */
export function addMembersDelta(into: DirectMembers, value: unknown): void {
  if (!Array.isArray(value)) return
  for (const m of value as Record<string, unknown>[]) {
    const id = m?.['id']
    if (typeof id !== 'string') continue
    const target = m['@odata.type'] === USER ? into.users : m['@odata.type'] === GROUP ? into.groups : null
    if (!target) continue
    if ('@removed' in m) target.delete(id)
    else target.add(id)
  }
}

/** What a `members@delta` list of an incremental round says changed. */
export function memberChanges(value: unknown): MemberExpectation {
  const added: string[] = []
  const removed: string[] = []
  if (Array.isArray(value)) {
    for (const m of value as Record<string, unknown>[]) {
      const id = m?.['id']
      if (typeof id !== 'string' || (m['@odata.type'] !== USER && m['@odata.type'] !== GROUP)) continue
      ;('@removed' in m ? removed : added).push(id)
    }
  }
  return { added, removed, removedHere: removed }
}

/** Later changes win: an id added then removed (or the reverse) ends where the last change put it. */
export function mergeExpectations(earlier: MemberExpectation | undefined, later: MemberExpectation): MemberExpectation {
  const added = new Set(earlier?.added ?? [])
  const removed = new Set(earlier?.removed ?? [])
  const removedHere = new Set(earlier?.removedHere ?? [])
  for (const id of later.added) {
    removed.delete(id)
    removedHere.delete(id)
    added.add(id)
  }
  for (const id of later.removed) {
    added.delete(id)
    removed.add(id)
  }
  for (const id of later.removedHere ?? []) removedHere.add(id)
  return { added: [...added], removed: [...removed], removedHere: [...removedHere] }
}

/**
 * Whether a member list read (every member id, before any filter) shows the changes the delta
 * reported. On a direct list every removal must be gone. On a transitive list a removed member may
 * still be there through another nested group: those are returned in `unsettled`, for the caller to
 * check against the direct lists (see `removalStands`).
 */
export function listShows(listed: ReadonlySet<string>, expected: MemberExpectation, direct: boolean): { readonly shows: boolean; readonly unsettled: readonly string[] } {
  const added = expected.added.every((id) => listed.has(id))
  const stillListed = expected.removed.filter((id) => listed.has(id))
  if (direct) return { shows: added && stillListed.length === 0, unsettled: [] }
  return { shows: added, unsettled: stillListed }
}

/**
 * A member the delta removed that a group's transitive list still shows is right only when some
 * group in its reach (the group itself, then the groups nested in it) still lists it directly and
 * was not itself reported to have lost it; a direct list that still shows a member its own delta
 * removed is an old replica's. `direct(id)` reads a group's direct member ids (null: not readable
 * yet). Answers 'kept' (another path keeps it), or 'stale' (read the group again next run).
 */
export async function removalStands(member: string, reach: readonly string[], direct: (groupId: string) => Promise<ReadonlySet<string> | null>, removedHere: (groupId: string) => ReadonlySet<string>): Promise<'kept' | 'stale'> {
  for (const groupId of reach) {
    const listed = await direct(groupId)
    if (!listed) return 'stale'
    if (!listed.has(member)) continue
    return removedHere(groupId).has(member) ? 'stale' : 'kept'
  }
  return 'stale'
}

/** User members of a group through nested groups (cycles allowed), from every group's direct members. */
export function transitiveUsers(groupId: string, direct: ReadonlyMap<string, DirectMembers>): string[] {
  const users = new Set<string>()
  walkGroups(groupId, (id) => direct.get(id)?.groups ?? [], (id) => {
    for (const u of direct.get(id)?.users ?? []) users.add(u)
  })
  return [...users]
}

/** Every group nested in a group, at any depth. */
export function nestedGroups(groupId: string, direct: ReadonlyMap<string, DirectMembers>): string[] {
  const groups: string[] = []
  walkGroups(groupId, (id) => direct.get(id)?.groups ?? [], (id) => {
    if (id !== groupId) groups.push(id)
  })
  return groups
}
