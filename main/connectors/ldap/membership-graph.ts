import type { DirectoryGroup } from '../../../shared/domain/directory-snapshot.ts'
import type { GroupBasics } from './ldap-mapping.ts'
import { detached } from './detached-string.ts'
import type { CollectedGroups } from './group-collector.ts'
import { normalizeDn } from '../../directory-rules/distinguished-name.ts'

interface GroupNode {
  readonly key: string
  readonly basics: GroupBasics
  /** Direct user members as user indices (de-duplicated): 4 bytes each, not a second list of id strings. */
  readonly members: Int32Array
  /** Member values that were not users when the group arrived: nested groups, or objects outside the read. */
  readonly otherKeys: readonly string[]
}

/**
 * Group membership in linear time: every DN is normalised once (no new string when it already is
 * in normal form, the usual case) and looked up in one map built as users arrive (the peer we
 * measured rebuilt a set of all users per group pass, which is quadratic). Users must be added
 * before groups. A group without nested members is final the moment it arrives and can be
 * streamed; a group with nested members waits until every group is known, then is flattened by a
 * walk with a visited set, so cycles (A ∋ B ∋ A) end.
 *
 * Users are numbered as they arrive; a member list is kept as user numbers, and de-duplicated by
 * stamping each user with the number of the pass (group) that last counted it, instead of a Set
 * per group: over a million member values in a 100k-user directory, without a per-value allocation.
 */
export class MembershipGraph {
  private readonly userIndexByDn = new Map<string, number>()
  /** Log-on names by user number; indexed by name only when a posixGroup needs it (most directories never do). */
  private readonly userLogins: (string | undefined)[] = []
  private userIndexByLogin: Map<string, number> | null = null
  /** externalId by user number. */
  private readonly userIds: string[] = []
  private readonly groups = new Map<string, GroupNode>()
  private readonly deferred: GroupNode[] = []
  /** Per user number: the pass that last counted it (0 = none yet). */
  private stamps = new Int32Array(1024)
  private pass = 0
  /** Reused buffer for the user numbers of the group being built. */
  private scratch = new Int32Array(1024)
  private unresolved = 0
  /** The user numbers of each handed-out group's members, in `memberIds` order (see memberPositions). */
  private readonly positions = new WeakMap<DirectoryGroup, Int32Array>()

  get userCount(): number {
    return this.userIds.length
  }

  get unresolvedMemberCount(): number {
    return this.unresolved
  }

  /**
   * Returns the id as the graph keeps it (a detached copy): hand the user on with this one, so
   * its groups' member ids are the very same strings (a consumer numbering ids in a Map then
   * finds each member by identity instead of comparing 36 characters).
   */
  addUser(dn: string, externalId: string, login: string | undefined): string {
    const index = this.userIds.length
    const kept = detached(externalId)
    this.userIds.push(kept)
    if (index >= this.stamps.length) {
      const grown = new Int32Array(this.stamps.length * 2)
      grown.set(this.stamps)
      this.stamps = grown
    }
    const key = normalizeDn(dn)
    this.userIndexByDn.set(key, index)
    // Member values are usually spelled exactly as the server spells the entry's DN: keyed by that
    // spelling too, most of them are found without normalising (a pass over each of ~1.2M values).
    if (key !== dn) this.userIndexByDn.set(dn, index)
    this.userLogins.push(login === undefined ? undefined : detached(login))
    if (login && this.userIndexByLogin) this.userIndexByLogin.set(login.toLowerCase(), index)
    return kept
  }

  private loginIndex(): Map<string, number> {
    if (this.userIndexByLogin === null) {
      this.userIndexByLogin = new Map()
      for (let i = 0; i < this.userLogins.length; i++) {
        const login = this.userLogins[i]
        if (login) this.userIndexByLogin.set(login.toLowerCase(), i)
      }
    }
    return this.userIndexByLogin
  }

  /**
   * Records groups collected with numbered member DNs (see GroupCollector): each distinct DN is
   * resolved once, then members are mapped number → user with array reads. Yields the groups that
   * are final (no nested members), in order, as they are recorded (so a caller handing them on in
   * batches never holds them all); the others wait for `resolveDeferred()`.
   */
  *addCollected(collected: CollectedGroups): Generator<DirectoryGroup, void, void> {
    const { memberDns, members, memberOffsets, uids, uidOffsets } = collected
    const userOfDn = new Int32Array(memberDns.length)
    for (let i = 0; i < memberDns.length; i++) userOfDn[i] = this.userIndexOf(memberDns[i]!)
    for (let g = 0; g < collected.groupDns.length; g++) {
      const from = memberOffsets[g]!
      const to = memberOffsets[g + 1]!
      const groupUids = uidOffsets[g + 1]! > uidOffsets[g]! ? uids.slice(uidOffsets[g], uidOffsets[g + 1]) : []
      const pass = this.nextPass(to - from + groupUids.length)
      const { stamps, scratch } = this
      let count = 0
      let otherKeys: string[] | null = null
      for (let m = from; m < to; m++) {
        const dnNumber = members[m]!
        const index = userOfDn[dnNumber]!
        if (index < 0) (otherKeys ??= []).push(normalizeDn(memberDns[dnNumber]!))
        else if (stamps[index] !== pass) {
          stamps[index] = pass
          scratch[count++] = index
        }
      }
      count = this.addLoginMembers(groupUids, pass, count)
      const group = this.record(collected.groupDns[g]!, collected.basics[g]!, count, otherKeys ?? [])
      if (group) yield group
    }
  }

  /** Records collected groups without handing them on (a graph built to flatten some groups later). */
  recordCollected(collected: CollectedGroups): void {
    const groups = this.addCollected(collected)
    while (!groups.next().done) {
      // each step records one group
    }
  }

  /** The user number of a member DN (the server's spelling first, then the normal form), or -1. */
  private userIndexOf(memberDn: string): number {
    let index = this.userIndexByDn.get(memberDn)
    if (index === undefined) {
      const key = normalizeDn(memberDn)
      if (key !== memberDn) index = this.userIndexByDn.get(key)
    }
    return index ?? -1
  }

  private addLoginMembers(memberUids: readonly string[], pass: number, start: number): number {
    if (memberUids.length === 0) return start
    const logins = this.loginIndex()
    const { stamps, scratch } = this
    let count = start
    for (const uid of memberUids) {
      const index = logins.get(uid.toLowerCase())
      if (index === undefined) this.unresolved++
      else if (stamps[index] !== pass) {
        stamps[index] = pass
        scratch[count++] = index
      }
    }
    return count
  }

  /** Stores a group whose user members are the first `count` numbers of the scratch buffer. */
  private record(dn: string, basics: GroupBasics, count: number, otherKeys: string[]): DirectoryGroup | null {
    const node: GroupNode = { key: normalizeDn(dn), basics, members: this.scratch.slice(0, count), otherKeys }
    this.groups.set(node.key, node)
    if (otherKeys.length === 0) return this.toGroup(basics, node.members, count)
    this.deferred.push(node)
    return null
  }

  /** Flattens every group that waited for nested members. Call once, after the last group. */
  resolveDeferred(): DirectoryGroup[] {
    const out = this.deferred.map((node) => this.flatten(node, true))
    this.deferred.length = 0
    return out
  }

  /** The complete flattened member list of a known group (for incremental reads). */
  flattenedGroup(dn: string): DirectoryGroup | null {
    const node = this.groups.get(normalizeDn(dn))
    return node ? this.flatten(node, false) : null
  }

  /** Every known group with its complete flattened member list. */
  *allGroups(): Generator<DirectoryGroup> {
    for (const node of this.groups.values()) yield this.flatten(node, false)
  }

  /** DNs (normalised) of the given groups plus every group that contains one of them, at any depth. */
  withAncestors(dns: Iterable<string>): Set<string> {
    const parents = new Map<string, string[]>()
    for (const node of this.groups.values()) {
      for (const child of node.otherKeys) {
        if (!this.groups.has(child)) continue
        const list = parents.get(child)
        if (list) list.push(node.key)
        else parents.set(child, [node.key])
      }
    }
    const result = new Set<string>()
    const queue = [...dns].map(normalizeDn)
    while (queue.length > 0) {
      const key = queue.pop()!
      if (result.has(key)) continue
      result.add(key)
      for (const parent of parents.get(key) ?? []) queue.push(parent)
    }
    return result
  }

  /** Starts a de-duplication pass and makes room for `capacity` user numbers in the scratch buffer. */
  private nextPass(capacity: number): number {
    if (capacity > this.scratch.length) this.scratch = new Int32Array(Math.max(capacity, this.scratch.length * 2))
    return ++this.pass
  }

  private flatten(root: GroupNode, countUnresolved: boolean): DirectoryGroup {
    if (countUnresolved) for (const key of root.otherKeys) if (!this.groups.has(key)) this.unresolved++
    // Pass 1 finds the nested groups (visited set ends cycles) and sizes the scratch buffer.
    const nested: GroupNode[] = [root]
    let capacity = root.members.length
    const visited = new Set<string>([root.key])
    const stack = [...root.otherKeys]
    while (stack.length > 0) {
      const key = stack.pop()!
      if (visited.has(key)) continue
      visited.add(key)
      const node = this.groups.get(key)
      if (node === undefined) continue // a contact, computer or object outside the read
      nested.push(node)
      capacity += node.members.length
      for (const k of node.otherKeys) if (!visited.has(k)) stack.push(k)
    }
    // Pass 2 collects the union of their user members.
    const pass = this.nextPass(capacity)
    const { stamps, scratch } = this
    let count = 0
    for (const node of nested) {
      for (const index of node.members) {
        if (stamps[index] === pass) continue
        stamps[index] = pass
        scratch[count++] = index
      }
    }
    return this.toGroup(root.basics, scratch, count)
  }

  private toGroup(basics: GroupBasics, members: Int32Array, count: number): DirectoryGroup {
    const memberIds: string[] = []
    for (let i = 0; i < count; i++) memberIds.push(this.userIds[members[i]!]!)
    const group = { externalId: basics.externalId, name: basics.name, address: basics.address, memberIds }
    // A recorded group's own list is exact; the scratch buffer is reused, so it is copied.
    this.positions.set(group, members.length === count && members !== this.scratch ? members : members.slice(0, count))
    return group
  }

  /**
   * The user numbers (order of addUser) of a group's members, in its `memberIds` order. When every
   * user added was handed on in that order, as a full read does, they are the members' positions
   * among the read's users (ReadBatch.memberPositions).
   */
  memberPositions(group: DirectoryGroup): Int32Array {
    const positions = this.positions.get(group)
    if (!positions) throw new Error('The group was not made by this membership graph.')
    return positions
  }
}

