import type { AddressType, UserStatus } from '../../shared/domain/account.ts'
import type { DirectoryUser } from '../../shared/domain/directory-snapshot.ts'
import { AccountStateBuilder } from '../model/account-state.ts'
import type { DirtySet } from '../model/dirty-set.ts'
import { IndexedGroup, type IndexedSnapshotData } from '../model/indexed-snapshot.ts'
import type { AccountAddressState, AccountState } from '../model/plan-types.ts'
import type { Db } from './open-database.ts'
import { createPlanAddressIndex, INDEXED_GROUP, INDEXED_USER } from './plan-address-index.ts'
import type { ContributingSnapshot } from './plan-marks.ts'
import { createSourceSets } from './source-sets.ts'
import { decodeMemberList, listsMember } from './member-list.ts'

export interface PlanSubset {
  /** Integration id → the rows of its snapshot the plan needs, in the snapshot's own row order. */
  readonly snapshots: ReadonlyMap<string, IndexedSnapshotData>
  readonly account: AccountState
  /** Rows read from snapshots and the account (what "reads only the dirty rows" is measured by). */
  readonly rowsRead: number
}

/**
 * Reads, by indexed lookups, the rows the planner needs to decide the dirty objects exactly as a
 * full plan would:
 *
 * - Users: every dirty address's whole *component* — the snapshot users (any integration) and
 *   account users connected to it through shared addresses, transitively. Matching, claims,
 *   conflicts and folds only ever relate users that share an address, so within a whole
 *   component the planner sees what it sees in a full plan. Every component is read whole,
 *   which is what makes every action the restricted plan emits the full plan's action.
 * - Groups: a group's rows in every snapshot (its parts) and in the account, always whole. Its
 *   memberships: all of them for a dirty group (and then every member's component), or, for a
 *   group reached through a component whose memberships may have changed, exactly the rows of
 *   that component's users on both sides (all or nothing per component, so a membership is
 *   never seen on one side only).
 *
 * Row order follows the store's primary keys (snapshot user and group numbers, account ids), as
 * a full load does, so first-claimant rules resolve the same way.
 */
export function loadPlanSubset(db: Db, contributing: readonly ContributingSnapshot[], dirty: DirtySet): PlanSubset {
  let rowsRead = 0
  const index = createPlanAddressIndex(db)
  const q = {
    source: db.prepare('SELECT key FROM plan_index_sources WHERE integration_id = ?').pluck(),
    snap: db.prepare('SELECT key FROM snapshots WHERE id = ?').pluck(),
    holder: db.prepare('SELECT user_id FROM addresses WHERE address = ?').pluck(),
    userAddresses: db.prepare('SELECT address FROM addresses WHERE user_id = ?').pluck(),
    snapshotMembers: db.prepare('SELECT members FROM snapshot_groups WHERE snap = ? AND grp = ?').pluck(),
    accountGroup: db.prepare('SELECT id, key, name, address, origin, sources FROM groups WHERE key = ?').raw(),
    accountMembers: db.prepare('SELECT user_id, sources FROM memberships WHERE group_id = ? ORDER BY user_id').raw(),
    accountMember: db.prepare('SELECT sources FROM memberships WHERE group_id = ? AND user_id = ?').pluck(),
    accountGroupAliases: db.prepare('SELECT address FROM group_aliases WHERE group_id = ? ORDER BY address').pluck(),
    groupsOfUser: db.prepare('SELECT g.key FROM memberships m JOIN groups g ON g.id = m.group_id WHERE m.user_id = ?').pluck(),
    user: db.prepare('SELECT i.external_id, u.primary_address, u.aliases, u.display_name, u.enabled, u.attributes FROM snapshot_users u JOIN snapshot_ids i ON i.id = u.user WHERE u.snap = ? AND u.user = ?').raw(),
    group: db.prepare('SELECT i.external_id, g.name, g.address, g.aliases FROM snapshot_groups g JOIN snapshot_ids i ON i.id = g.grp WHERE g.snap = ? AND g.grp = ?').raw(),
    accountUser: db.prepare('SELECT address, display_name, status, deleted_at, deleted_by, attributes, sources FROM users WHERE id = ?').raw(),
    accountAddresses: db.prepare('SELECT address, type, is_primary FROM addresses WHERE user_id = ? ORDER BY address').raw(),
  }

  /** A snapshot group's members (snapshot_ids numbers, ascending; member-list.ts). */
  const snapshotMembers = (snap: number, grp: number): Int32Array => {
    const list = q.snapshotMembers.get(snap, grp) as Buffer | undefined
    return list ? decodeMemberList(list) : new Int32Array(0)
  }

  // Index source key ↔ integration, and each one's snapshot key.
  const integrationOf = new Map<number, string>()
  const snapOf = new Map<number, number>()
  for (const { integrationId, snapshotId } of contributing) {
    const source = q.source.get(integrationId) as number | undefined
    const snap = q.snap.get(snapshotId) as number | undefined
    if (source === undefined || snap === undefined) throw new Error(`The plan index has no entries for ${integrationId}; a full plan is needed.`)
    integrationOf.set(source, integrationId)
    snapOf.set(source, snap)
  }

  // --- Components: addresses, snapshot users (source:object) and account users, numbered.
  const addressComponent = new Map<string, number>()
  const rowComponent = new Map<number, Map<number, number>>()
  const userComponent = new Map<number, number>()
  /** Per component: its snapshot users by source, and its account users. */
  const componentRows: Array<Map<number, number[]>> = []
  const componentUsers: number[][] = []
  const membersMoved: boolean[] = []

  function component(seed: string, moved: boolean): number {
    const known = addressComponent.get(seed)
    if (known !== undefined) {
      membersMoved[known] ||= moved
      return known
    }
    const id = componentRows.length
    componentRows.push(new Map())
    componentUsers.push([])
    membersMoved.push(moved)
    const queue = [seed]
    addressComponent.set(seed, id)
    const reach = (address: string): void => {
      if (addressComponent.has(address)) return
      addressComponent.set(address, id)
      queue.push(address)
    }
    for (let address = queue.pop(); address !== undefined; address = queue.pop()) {
      for (const [source, object] of index.presenting(address, INDEXED_USER)) {
        rowsRead++
        let rows = rowComponent.get(source)
        if (!rows) rowComponent.set(source, (rows = new Map<number, number>()))
        if (rows.has(object)) continue
        rows.set(object, id)
        const list = componentRows[id]?.get(source)
        if (list) list.push(object)
        else componentRows[id]?.set(source, [object])
        for (const other of index.addressesOf(source, INDEXED_USER, object)) reach(other)
      }
      const holder = q.holder.get(address) as number | undefined
      if (holder !== undefined && !userComponent.has(holder)) {
        rowsRead++
        userComponent.set(holder, id)
        componentUsers[id]?.push(holder)
        for (const other of q.userAddresses.all(holder) as string[]) reach(other)
      }
    }
    return id
  }

  /** A snapshot user or account user reached through a whole group: its component. */
  function componentOfRow(source: number, object: number): void {
    if (rowComponent.get(source)?.has(object)) return
    const addresses = index.addressesOf(source, INDEXED_USER, object)
    if (addresses[0] !== undefined) component(addresses[0], false)
  }
  function componentOfUser(user: number): void {
    if (userComponent.has(user)) return
    const address = (q.userAddresses.all(user) as string[])[0]
    if (address !== undefined) component(address, false)
  }

  for (const [address, moved] of dirty.addresses) component(address, moved)
  for (const [, member] of dirty.memberships) component(member, false)

  // --- Groups: whole ones, and the components each other group must see.
  const wholeGroups = new Set(dirty.groups)
  const groupComponents = new Map<string, Set<number>>()
  const touch = (key: string, id: number | undefined): void => {
    let set = groupComponents.get(key)
    if (!set) groupComponents.set(key, (set = new Set()))
    if (id !== undefined) set.add(id)
  }
  for (const key of dirty.groupRows) touch(key, undefined)
  for (const [group, member] of dirty.memberships) touch(group, addressComponent.get(member))

  // Groups of the components whose memberships may have changed: account side by index; snapshot
  // side by one pass over each snapshot's memberships (no index by member; only when users moved).
  const moving = new Set<number>()
  for (let id = 0; id < componentRows.length; id++) if (membersMoved[id]) moving.add(id)
  if (moving.size > 0) {
    const scan = db.prepare('SELECT grp, members FROM snapshot_groups WHERE snap = ?').raw()
    for (const [source, rows] of rowComponent) {
      const movingRows = new Map<number, number>()
      for (const [object, id] of rows) if (moving.has(id)) movingRows.set(object, id)
      if (movingRows.size === 0) continue
      for (const [grp, list] of scan.iterate(snapOf.get(source)) as Iterable<[number, Buffer]>) {
        for (const object of decodeMemberList(list)) {
          const id = movingRows.get(object)
          if (id === undefined) continue
          rowsRead++
          const key = index.addressesOf(source, INDEXED_GROUP, grp)[0]
          if (key !== undefined) touch(key, id)
        }
      }
    }
    for (const [user, id] of userComponent) {
      if (!moving.has(id)) continue
      for (const key of q.groupsOfUser.all(user) as string[]) {
        rowsRead++
        touch(key, id)
      }
    }
  }

  // Whole groups: every member joins the plan (with its component).
  interface Parts { readonly parts: Array<readonly [source: number, grp: number]>; readonly account: readonly [id: number, key: string, name: string, address: string | null, origin: 'directory' | 'manual', sources: number] | undefined }
  const groupRows = new Map<string, Parts>()
  const readGroup = (key: string): Parts => {
    let found = groupRows.get(key)
    if (!found) {
      const parts = index.presenting(key, INDEXED_GROUP).filter(([source]) => integrationOf.has(source))
      const account = q.accountGroup.get(key) as Parts['account']
      rowsRead += parts.length + (account ? 1 : 0)
      groupRows.set(key, (found = { parts, account }))
    }
    return found
  }
  const wholeAccountMembers = new Map<string, Array<[user: number, sources: number]>>()
  for (const key of wholeGroups) {
    const { parts, account } = readGroup(key)
    for (const [source, grp] of parts) {
      const users = snapshotMembers(snapOf.get(source) as number, grp)
      rowsRead += users.length
      for (const object of users) componentOfRow(source, object)
    }
    const members = account ? (q.accountMembers.all(account[0]) as Array<[number, number]>) : []
    rowsRead += members.length
    for (const [user] of members) componentOfUser(user)
    wholeAccountMembers.set(key, members)
  }
  for (const key of groupComponents.keys()) readGroup(key)

  // --- Read the rows.
  const snapshots = new Map<string, IndexedSnapshotData>()
  for (const [source, integrationId] of integrationOf) {
    const snap = snapOf.get(source) as number
    const objects = [...(rowComponent.get(source)?.keys() ?? [])].sort((a, b) => a - b)
    const users: DirectoryUser[] = []
    const rowOf = new Map<number, number>()
    for (const object of objects) {
      const row = q.user.get(snap, object) as [string, string, string, string, number, string] | undefined
      if (!row) continue
      rowsRead++
      const [externalId, primaryAddress, aliases, displayName, enabled, attributes] = row
      rowOf.set(object, users.length)
      users.push({ externalId, primaryAddress, aliases: JSON.parse(aliases) as string[], displayName, enabled: enabled === 1, attributes: JSON.parse(attributes) as Record<string, string> })
    }
    const parts: Array<[grp: number, key: string]> = []
    for (const [key, { parts: all }] of groupRows) for (const [s, grp] of all) if (s === source) parts.push([grp, key])
    parts.sort((a, b) => a[0] - b[0])
    const groups: IndexedGroup[] = []
    for (const [grp, key] of parts) {
      const row = q.group.get(snap, grp) as [string, string, string | null, string] | undefined
      if (!row) continue
      let members: number[]
      if (wholeGroups.has(key)) {
        members = Array.from(snapshotMembers(snap, grp))
      } else {
        members = []
        const listed = snapshotMembers(snap, grp)
        for (const id of groupComponents.get(key) ?? []) {
          for (const object of componentRows[id]?.get(source) ?? []) {
            rowsRead++
            if (listsMember(listed, object)) members.push(object)
          }
        }
        members.sort((a, b) => a - b)
      }
      const rows = members.map((object) => rowOf.get(object)).filter((row): row is number => row !== undefined)
      const [externalId, name, address, aliases] = row
      groups.push(new IndexedGroup({ externalId, name, address, aliases: JSON.parse(aliases) as string[] }, { rows: Int32Array.from(rows), allIds: null }, users))
    }
    snapshots.set(integrationId, { users, groups, memberRowsResolved: true })
  }

  const sets = createSourceSets(db)
  const builder = new AccountStateBuilder()
  const addressOf = new Map<number, string>()
  type UserRow = [address: string, displayName: string, status: UserStatus, deletedAt: string | null, deletedBy: number, attributes: string, sources: number]
  for (const id of [...userComponent.keys()].sort((a, b) => a - b)) {
    const row = q.accountUser.get(id) as UserRow | undefined
    if (!row) continue
    const [address, displayName, status, deletedAt, deletedBy, attributes, sources] = row
    const addresses = (q.accountAddresses.all(id) as Array<[string, AddressType, number]>).map(([a, type, primary]): AccountAddressState => ({ address: a, type, primary: primary === 1 }))
    rowsRead += 1 + addresses.length
    addressOf.set(id, address)
    builder.addUser({ address, displayName, status, deletedAt, deletedBy: sets.list(deletedBy), attributes: attributes === '{}' ? {} : (JSON.parse(attributes) as Record<string, string>), sources: sets.list(sources), addresses })
  }
  for (const [key, { account }] of groupRows) {
    if (!account) continue
    const [id, , name, address, origin, sources] = account
    const aliases = q.accountGroupAliases.all(id) as string[]
    rowsRead += aliases.length
    builder.addGroup({ key, name, address, origin, sources: sets.list(sources), ...(aliases.length > 0 ? { aliases } : {}) })
    const members: Array<[number, number]> = wholeGroups.has(key) ? (wholeAccountMembers.get(key) ?? []) : []
    if (!wholeGroups.has(key)) {
      for (const component of groupComponents.get(key) ?? []) {
        for (const user of componentUsers[component] ?? []) {
          rowsRead++
          const found = q.accountMember.get(id, user) as number | undefined
          if (found !== undefined) members.push([user, found])
        }
      }
    }
    for (const [user, list] of members) builder.addMember(key, addressOf.get(user) ?? '', sets.list(list))
  }
  return { snapshots, account: builder.build(), rowsRead }
}
