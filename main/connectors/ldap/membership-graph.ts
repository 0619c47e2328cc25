import type { DirectoryGroup } from '../../../shared/domain/directory-snapshot.ts'
import type { GroupBasics } from './ldap-mapping.ts'
import { normaliseDn } from './ldap-mapping.ts'

interface GroupNode {
  readonly key: string
  readonly basics: GroupBasics
  /** Direct user members (externalIds, de-duplicated). */
  readonly userIds: readonly string[]
  /** Member values that were not users when the group arrived: nested groups, or objects outside the read. */
  readonly otherKeys: readonly string[]
}

/**
 * Group membership in linear time: every DN is normalised once and looked up in a map (the peer
 * we measured rebuilt a set of all users per group pass, which is quadratic). Users must be added
 * before groups. A group without nested members is final the moment it arrives and can be
 * streamed; a group with nested members waits until every group is known, then is flattened by a
 * walk with a visited set, so cycles (A ∋ B ∋ A) end.
 */
export class MembershipGraph {
  private readonly userByDn = new Map<string, string>()
  private readonly userByLogin = new Map<string, string>()
  private readonly groups = new Map<string, GroupNode>()
  private readonly deferred: GroupNode[] = []
  private unresolved = 0

  get userCount(): number {
    return this.userByDn.size
  }

  get unresolvedMemberCount(): number {
    return this.unresolved
  }

  addUser(dn: string, externalId: string, login: string | undefined): void {
    this.userByDn.set(normaliseDn(dn), externalId)
    if (login) this.userByLogin.set(login.toLowerCase(), externalId)
  }

  /**
   * Records a group. Returns it (members final) when it has no non-user members; otherwise keeps
   * it for `resolveDeferred()` and returns null.
   * @param memberDns DN-valued members (member / uniqueMember without the #'…'B suffix)
   * @param memberUids posixGroup memberUid values (log-on names)
   */
  addGroup(dn: string, basics: GroupBasics, memberDns: readonly string[], memberUids: readonly string[]): DirectoryGroup | null {
    const ids = new Set<string>()
    const otherKeys: string[] = []
    for (const memberDn of memberDns) {
      const key = normaliseDn(memberDn)
      const id = this.userByDn.get(key)
      if (id === undefined) otherKeys.push(key)
      else ids.add(id)
    }
    for (const uid of memberUids) {
      const id = this.userByLogin.get(uid.toLowerCase())
      if (id === undefined) this.unresolved++
      else ids.add(id)
    }
    const node: GroupNode = { key: normaliseDn(dn), basics, userIds: [...ids], otherKeys }
    this.groups.set(node.key, node)
    if (otherKeys.length === 0) return toGroup(basics, node.userIds)
    this.deferred.push(node)
    return null
  }

  /** Flattens every group that waited for nested members. Call once, after the last group. */
  resolveDeferred(): DirectoryGroup[] {
    const out = this.deferred.map((node) => toGroup(node.basics, this.flatten(node, true)))
    this.deferred.length = 0
    return out
  }

  /** The complete flattened member list of a known group (for incremental reads). */
  flattenedGroup(dn: string): DirectoryGroup | null {
    const node = this.groups.get(normaliseDn(dn))
    return node ? toGroup(node.basics, this.flatten(node, false)) : null
  }

  /** Every known group with its complete flattened member list. */
  *allGroups(): Generator<DirectoryGroup> {
    for (const node of this.groups.values()) yield toGroup(node.basics, this.flatten(node, false))
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
    const queue = [...dns].map(normaliseDn)
    while (queue.length > 0) {
      const key = queue.pop()!
      if (result.has(key)) continue
      result.add(key)
      for (const parent of parents.get(key) ?? []) queue.push(parent)
    }
    return result
  }

  private flatten(root: GroupNode, countUnresolved: boolean): string[] {
    if (countUnresolved) for (const key of root.otherKeys) if (!this.groups.has(key)) this.unresolved++
    const ids = new Set<string>(root.userIds)
    const visited = new Set<string>([root.key])
    const stack = [...root.otherKeys]
    while (stack.length > 0) {
      const key = stack.pop()!
      if (visited.has(key)) continue
      visited.add(key)
      const nested = this.groups.get(key)
      if (nested === undefined) continue // a contact, computer or object outside the read
      for (const id of nested.userIds) ids.add(id)
      for (const k of nested.otherKeys) if (!visited.has(k)) stack.push(k)
    }
    return [...ids]
  }
}

function toGroup(basics: GroupBasics, memberIds: readonly string[]): DirectoryGroup {
  return { externalId: basics.externalId, name: basics.name, address: basics.address, memberIds }
}
