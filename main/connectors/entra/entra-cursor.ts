/**
 * The Entra connector's cursor: a small JSON document with both delta links, the nesting it needs
 * to re-read ancestors of a changed group, and what a lagging replica kept it from reading (retried
 * on the next run, since the delta links have moved on).
 */

/** Member changes a delta reported for a group; a member list read must agree with them. */
export interface MemberExpectation {
  readonly added: readonly string[]
  /** Members that must be gone: removed from this group, or (transitive mode) from a group nested in it. */
  readonly removed: readonly string[]
  /** Of those, the ones the delta removed from this group's own (direct) list. Absent in cursors written before: none. */
  readonly removedHere?: readonly string[]
}

export interface EntraCursor {
  readonly v: 1
  /** Graph host the links belong to; a different endpoint means a full read. */
  readonly graph: string
  readonly transitive: boolean
  readonly guests: boolean
  /** includeInternalGuests when the links were taken; null in cursors written before the setting existed. */
  readonly internalGuests: boolean | null
  /** The user properties the links were taken with (USER_SELECT joined); absent in older cursors. A link selects what it was taken with, so a connector that reads more starts over. */
  readonly userSelect: string | null
  readonly users: string
  readonly groups: string
  /** Transitive mode: group id → ids of the groups nested in it (any depth), to re-read ancestors of a changed group. */
  readonly nested: Readonly<Record<string, readonly string[]>>
  /** Users the delta reported but a read by id could not find yet (replication lag): read again next run. */
  readonly retryUsers: readonly string[]
  /** Groups whose properties or member list were not readable or not up to date yet: read again next run. */
  readonly retryGroups: Readonly<Record<string, MemberExpectation>>
}

export function parseCursor(raw: string | null): EntraCursor | null {
  if (!raw) return null
  try {
    const c = JSON.parse(raw) as Partial<EntraCursor>
    if (c.v !== 1 || typeof c.users !== 'string' || typeof c.groups !== 'string' || typeof c.graph !== 'string') return null
    return {
      v: 1,
      graph: c.graph,
      transitive: c.transitive === true,
      guests: c.guests === true,
      internalGuests: typeof c.internalGuests === 'boolean' ? c.internalGuests : null,
      userSelect: typeof c.userSelect === 'string' ? c.userSelect : null,
      users: c.users,
      groups: c.groups,
      nested: c.nested ?? {},
      retryUsers: Array.isArray(c.retryUsers) ? c.retryUsers.filter((id) => typeof id === 'string') : [],
      retryGroups: typeof c.retryGroups === 'object' && c.retryGroups !== null ? c.retryGroups : {},
    }
  } catch {
    return null
  }
}
