import { randomUUID } from 'node:crypto'
import type { DirectoryGroup, DirectoryUser } from '../../shared/domain/directory-snapshot.ts'
import { IndexedGroup, MemberRowResolver, type IndexedSnapshotData } from '../model/indexed-snapshot.ts'
import { decodeMemberList, encodeMemberList } from './member-list.ts'
import type { Db } from './open-database.ts'
import { EVERYTHING_CHANGED, type SnapshotDelta } from '../model/snapshot-delta.ts'
import { createSnapshotDiff, type DiffTarget, type SnapshotCounts } from './snapshot-diff.ts'
import { createBulkInsert } from './bulk-insert.ts'

export interface SnapshotInfo {
  readonly id: string
  readonly integrationId: string
  readonly takenAt: string
  readonly mode: string
  readonly modeReason: string
  readonly users: number
  readonly groups: number
  readonly memberships: number
}

interface SnapshotRow {
  id: string
  integration_id: string
  taken_at: string
  mode: string
  mode_reason: string
  users: number
  groups: number
  memberships: number
}

const toInfo = (row: SnapshotRow): SnapshotInfo => ({
  id: row.id,
  integrationId: row.integration_id,
  takenAt: row.taken_at,
  mode: row.mode,
  modeReason: row.mode_reason,
  users: row.users,
  groups: row.groups,
  memberships: row.memberships,
})

/**
 * Snapshots: one *current* snapshot per integration, changed in place by each promoted read. A
 * read is written page by page into a *staged* snapshot — everything it saw (full read) or only
 * what changed (incremental; deletions are kept beside it) — and the current snapshot is not
 * touched until a complete, validated read is promoted: then only the difference is written into
 * it, in one transaction (snapshot-diff.ts). A failed or rejected read's staged rows are
 * discarded, and a killed one's at the next start. Rows use the snapshot's integer key and
 * interned external ids (snapshot_ids).
 */
export function createSnapshotStore(db: Db) {
  const insertGroup = db.prepare('INSERT OR REPLACE INTO snapshot_groups (snap, grp, name, address, aliases, members) VALUES (?, ?, ?, ?, ?, ?)')
  const keyOf = db.prepare('SELECT key FROM snapshots WHERE id = ?').pluck()
  const takenAtOf = db.prepare('SELECT taken_at FROM snapshots WHERE key = ?').pluck()
  const currentOfStaged = db.prepare(
    "SELECT c.key, c.users, c.groups, c.memberships FROM snapshots s JOIN snapshots c ON c.integration_id = s.integration_id AND c.state = 'current' WHERE s.key = ? AND s.state = 'staged'",
  )
  const findId = db.prepare('SELECT id FROM snapshot_ids WHERE external_id = ?').pluck()
  const insertId = db.prepare('INSERT INTO snapshot_ids (external_id) VALUES (?)')
  const findIds = db.prepare('SELECT id, external_id FROM snapshot_ids WHERE external_id IN (SELECT value FROM json_each(?))').raw()
  /** Ids new to the store, in the order they are added to `insertIds` (each statement's rowids are consecutive). */
  let numbering: string[] = []
  let numbered = 0
  const inserts = () => ({
    users: createBulkInsert(db, 'INSERT OR REPLACE INTO snapshot_users (snap, user, primary_address, aliases, display_name, enabled, attributes)', 7),
    ids: createBulkInsert(db, 'INSERT INTO snapshot_ids (external_id)', 1, (last, rows) => {
      for (let id = last - rows + 1; id <= last; id++) ids.set(numbering[numbered++] as string, id)
    }),
  })
  let insert = inserts()
  const textOf = db.prepare('SELECT external_id FROM snapshot_ids WHERE id = ?').pluck()
  const countUsers = db.prepare('SELECT count(*) FROM snapshot_users WHERE snap = ?').pluck()
  const countGroups = db.prepare('SELECT count(*) FROM snapshot_groups WHERE snap = ?').pluck()
  const countMembers = db.prepare('SELECT ifnull(sum(length(members)), 0) / 4 FROM snapshot_groups WHERE snap = ?').pluck()
  const diff = createSnapshotDiff(db)
  /**
   * External id → its number, for one read (cleared when it is promoted or discarded, and when a
   * write fails: a rolled-back transaction takes its new numbers with it).
   */
  const ids = new Map<string, number>()
  /** Per staged read: the snapshot_ids numbers of the users it handed on, in order (what ReadBatch.memberPositions count). */
  const readUsers = new Map<number, number[]>()
  /** What each staged incremental read reported deleted (snapshot_ids numbers), by staged key. */
  const deletions = new Map<number, { users: number[]; groups: number[] }>()
  function writing(work: () => void): void {
    diff.reset()
    // A page of a staged read need not survive power loss: a read cut short is discarded anyway
    // (discardAllStaged). Without an fsync per page (200 commits for a first sync of 100k users),
    // its commit is only a WAL append; WAL stays consistent at NORMAL, and the promotion, back at
    // the store's own setting, makes everything before it durable with its own fsync.
    // (SQLite allows the change only outside a transaction; a caller's own transaction keeps its setting.)
    const durability = db.inTransaction ? null : (db.pragma('synchronous', { simple: true }) as number)
    if (durability !== null) db.pragma('synchronous = NORMAL')
    try {
      db.transaction(work)()
    } catch (error) {
      ids.clear()
      // A write that failed half-way leaves rows in the insert buffers: start with empty ones.
      insert = inserts()
      throw error
    } finally {
      if (durability !== null) db.pragma(`synchronous = ${durability}`)
    }
  }

  function intern(externalId: string): number {
    let id = ids.get(externalId)
    if (id === undefined) {
      id = (findId.get(externalId) as number | undefined) ?? Number(insertId.run(externalId).lastInsertRowid)
      ids.set(externalId, id)
    }
    return id
  }

  /**
   * Numbers a page's ids at once: one lookup of those this read has not seen yet, then multi-row
   * inserts of those the store has never seen (a first sync of 100k users: 0.2 s instead of ~1 s
   * one statement each).
   */
  function internAll(externalIds: Iterable<string>): void {
    const unseen = new Set<string>()
    for (const externalId of externalIds) if (!ids.has(externalId)) unseen.add(externalId)
    if (unseen.size === 0) return
    for (const [id, externalId] of findIds.iterate(JSON.stringify([...unseen])) as Iterable<[number, string]>) {
      ids.set(externalId, id)
      unseen.delete(externalId)
    }
    numbering = [...unseen]
    numbered = 0
    for (const externalId of numbering) insert.ids.add(externalId)
    insert.ids.flush()
    numbering = []
  }

  function byId(group: DirectoryGroup): Int32Array {
    const members = new Int32Array(group.memberIds.length)
    group.memberIds.forEach((member, i) => (members[i] = intern(member)))
    return members
  }

  /** The members' numbers from their positions; null when the positions do not fit the read (then the ids are looked up). */
  function byPosition(group: DirectoryGroup, positions: Int32Array, order: readonly number[]): Int32Array | null {
    const count = group.memberIds.length
    if (positions.length !== count) return null
    const members = new Int32Array(count)
    for (let i = 0; i < count; i++) {
      const user = order[positions[i] as number]
      if (user === undefined) return null
      members[i] = user
    }
    // A connector that broke the promise would file members under the wrong users: spot-check the ends by id.
    if (count > 0 && (ids.get(group.memberIds[0] as string) !== members[0] || ids.get(group.memberIds[count - 1] as string) !== members[count - 1])) return null
    return members
  }

  function key(snapshotId: string): number {
    const found = keyOf.get(snapshotId) as number | undefined
    if (found === undefined) throw new Error(`No snapshot has the id ${snapshotId}.`)
    return found
  }

  function countRows(snap: number): SnapshotCounts {
    return { users: countUsers.get(snap) as number, groups: countGroups.get(snap) as number, memberships: countMembers.get(snap) as number }
  }

  /** What a staged read is promoted onto: its integration's current snapshot (null: there is none). */
  function diffTarget(stagedId: string, mode: 'full' | 'incremental'): DiffTarget | null {
    const staged = key(stagedId)
    const current = currentOfStaged.get(staged) as { key: number; users: number; groups: number; memberships: number } | undefined
    if (!current) return null
    const deleted = mode === 'incremental' ? deletions.get(staged) : undefined
    return {
      staged,
      current: current.key,
      currentCounts: { users: current.users, groups: current.groups, memberships: current.memberships },
      mode,
      deletedUsers: deleted?.users ?? [],
      deletedGroups: deleted?.groups ?? [],
    }
  }

  function dropRows(snap: number): void {
    db.prepare('DELETE FROM snapshot_users WHERE snap = ?').run(snap)
    db.prepare('DELETE FROM snapshot_groups WHERE snap = ?').run(snap)
    db.prepare('DELETE FROM snapshots WHERE key = ?').run(snap)
  }

  function dropSnapshot(id: string): void {
    const snap = keyOf.get(id) as number | undefined
    if (snap !== undefined) dropRows(snap)
  }

  return {
    current(integrationId: string): SnapshotInfo | null {
      const row = db.prepare("SELECT * FROM snapshots WHERE integration_id = ? AND state = 'current'").get(integrationId) as SnapshotRow | undefined
      return row ? toInfo(row) : null
    },

    /** Starts an empty staged snapshot; pages are written into it as they are read. */
    stage(integrationId: string, takenAt: string): string {
      const id = randomUUID()
      db.prepare("INSERT INTO snapshots (id, integration_id, taken_at, mode, mode_reason, state) VALUES (?, ?, ?, 'full', '', 'staged')").run(id, integrationId, takenAt)
      return id
    },

    /**
     * What an incremental read reported deleted (external ids). Kept in memory with the staged
     * read: a staged read never outlives its process (discardAllStaged), and an id the store has
     * never seen cannot be in the current snapshot.
     */
    writeDeletions(snapshotId: string, userIds: readonly string[], groupIds: readonly string[]): void {
      const snap = key(snapshotId)
      diff.reset()
      const known = (id: string): number[] => {
        const found = ids.get(id) ?? (findId.get(id) as number | undefined)
        return found === undefined ? [] : [found]
      }
      const deleted = deletions.get(snap) ?? { users: [], groups: [] }
      deleted.users.push(...userIds.flatMap(known))
      deleted.groups.push(...groupIds.flatMap(known))
      deletions.set(snap, deleted)
    },

    /** Every user and group external id of a snapshot (what an id-enumerating read compares with). */
    externalIds(snapshotId: string): { users: string[]; groups: string[] } {
      const snap = key(snapshotId)
      return {
        users: db.prepare('SELECT i.external_id FROM snapshot_users u JOIN snapshot_ids i ON i.id = u.user WHERE u.snap = ?').pluck().all(snap) as string[],
        groups: db.prepare('SELECT i.external_id FROM snapshot_groups g JOIN snapshot_ids i ON i.id = g.grp WHERE g.snap = ?').pluck().all(snap) as string[],
      }
    },

    writeUsers(snapshotId: string, users: readonly DirectoryUser[]): void {
      const snap = key(snapshotId)
      const numbers: number[] = []
      writing(() => {
        internAll(users.map((u) => u.externalId))
        for (const u of users) {
          const user = intern(u.externalId)
          numbers.push(user)
          insert.users.add(snap, user, u.primaryAddress.toLowerCase(), JSON.stringify(u.aliases), u.displayName, u.enabled ? 1 : 0, JSON.stringify(u.attributes))
        }
        insert.users.flush()
      })
      // Only once committed: a failed page's numbers went with its transaction.
      const order = readUsers.get(snap)
      if (order) for (const user of numbers) order.push(user)
      else readUsers.set(snap, numbers)
    },

    /**
     * A group's member list is complete: it replaces what the staged snapshot had for that group.
     * `memberPositions` (ReadBatch): members by their position among the read's users, so 1.2M
     * member ids need not be looked up one by one (~0.4 s of a first sync at 100k users).
     */
    writeGroups(snapshotId: string, groups: readonly DirectoryGroup[], memberPositions?: readonly Int32Array[]): void {
      const snap = key(snapshotId)
      const order = memberPositions ? readUsers.get(snap) : undefined
      writing(() => {
        internAll(groups.map((g) => g.externalId))
        for (const [i, g] of groups.entries()) {
          const positions = memberPositions?.[i]
          const members = (order && positions && byPosition(g, positions, order)) || byId(g)
          insertGroup.run(snap, intern(g.externalId), g.name, g.address ? g.address.toLowerCase() : null, JSON.stringify((g.aliases ?? []).map((a) => a.toLowerCase())), encodeMemberList(members))
        }
      })
    },

    /**
     * The counts the current snapshot would have if this staged read were promoted (what the
     * completeness guard judges), computed from the difference without materialising anything;
     * without a current snapshot, the staged read's own counts.
     */
    countAfterPromotion(snapshotId: string, mode: 'full' | 'incremental'): SnapshotCounts {
      const target = diffTarget(snapshotId, mode)
      return target ? diff.compute(target) : countRows(key(snapshotId))
    },

    /**
     * Promotes a complete, validated read, in one transaction. With a current snapshot, only the
     * difference is written into it in place (same key; a new id when something changed, so a
     * run that changed nothing keeps "the same snapshot"); without one, the staged read becomes
     * it. Either way the staged rows go. `onDelta` runs inside that transaction with what the
     * promotion changed (so a dirty mark is never lost to a crash between promotion and planning).
     */
    promote(snapshotId: string, integrationId: string, mode: 'full' | 'incremental', modeReason: string, onDelta?: (delta: SnapshotDelta) => void): SnapshotInfo {
      const staged = key(snapshotId)
      const takenAt = takenAtOf.get(staged) as string
      const target = diffTarget(snapshotId, mode)
      try {
        db.transaction(() => {
          if (!target) {
            const counts = countRows(staged)
            db.prepare("UPDATE snapshots SET state = 'current', mode = ?, mode_reason = ?, users = ?, groups = ?, memberships = ? WHERE key = ?").run(mode, modeReason, counts.users, counts.groups, counts.memberships, staged)
            onDelta?.(EVERYTHING_CHANGED)
            return
          }
          const counts = diff.held(target) ?? diff.compute(target)
          const delta = diff.delta()
          diff.apply()
          const changed = delta.users.length + delta.groups.length > 0
          db.prepare('UPDATE snapshots SET id = CASE WHEN ? THEN ? ELSE id END, taken_at = ?, mode = ?, mode_reason = ?, users = ?, groups = ?, memberships = ? WHERE key = ?').run(
            changed ? 1 : 0,
            randomUUID(),
            takenAt,
            mode,
            modeReason,
            counts.users,
            counts.groups,
            counts.memberships,
            target.current,
          )
          dropRows(staged)
          onDelta?.(delta)
        })()
      } finally {
        diff.reset()
        deletions.delete(staged)
        readUsers.delete(staged)
        ids.clear()
      }
      return this.current(integrationId) as SnapshotInfo
    },

    discard(snapshotId: string): void {
      ids.clear()
      diff.reset()
      const snap = keyOf.get(snapshotId) as number | undefined
      if (snap !== undefined) {
        deletions.delete(snap)
        readUsers.delete(snap)
      }
      db.transaction(() => dropSnapshot(snapshotId))()
    },

    /** Staged snapshots left by a crash or kill mid-read are never promoted: drop them at start. */
    discardAllStaged(): number {
      const staged = db.prepare("SELECT id FROM snapshots WHERE state = 'staged'").pluck().all() as string[]
      db.transaction(() => staged.forEach((id) => dropSnapshot(id)))()
      return staged.length
    },

    dropAll(integrationId: string): void {
      const rows = db.prepare('SELECT id FROM snapshots WHERE integration_id = ?').pluck().all(integrationId) as string[]
      db.transaction(() => rows.forEach((id) => dropSnapshot(id)))()
    },

    /**
     * The snapshot for planning (and for the coverage report): groups list their members also as
     * positions in `users`, resolved here once, so the planner never looks member ids up by string
     * and 5M member id strings are not kept alive (`memberIds` is derived on demand).
     */
    load(snapshotId: string): IndexedSnapshotData {
      const snap = key(snapshotId)
      const users: DirectoryUser[] = []
      // Snapshot id number → row: members are resolved by number, not by their id text.
      const rowOf = new Map<number, number>()
      type UserRow = [user: number, externalId: string, primaryAddress: string, aliases: string, displayName: string, enabled: number, attributes: string]
      for (const [user, externalId, primaryAddress, aliases, displayName, enabled, attributes] of db
        .prepare('SELECT u.user, i.external_id, u.primary_address, u.aliases, u.display_name, u.enabled, u.attributes FROM snapshot_users u JOIN snapshot_ids i ON i.id = u.user WHERE u.snap = ?')
        .raw()
        .iterate(snap) as Iterable<UserRow>) {
        rowOf.set(user, users.length)
        users.push({ externalId, primaryAddress, aliases: JSON.parse(aliases) as string[], displayName, enabled: enabled === 1, attributes: JSON.parse(attributes) as Record<string, string> })
      }
      const resolver = new MemberRowResolver(users)
      const groups: IndexedGroup[] = []
      for (const [externalId, name, address, aliases, list] of db
        .prepare('SELECT i.external_id, g.name, g.address, g.aliases, g.members FROM snapshot_groups g JOIN snapshot_ids i ON i.id = g.grp WHERE g.snap = ?')
        .raw()
        .iterate(snap) as Iterable<[string, string, string | null, string, Buffer]>) {
        for (const member of decodeMemberList(list)) {
          const row = rowOf.get(member)
          // A member that names no user of the snapshot (a nested group, an object out of scope) is looked up by number.
          if (row === undefined) resolver.addOther((textOf.get(member) as string | undefined) ?? String(member))
          else resolver.addRow(row)
        }
        groups.push(new IndexedGroup({ externalId, name, address, aliases: JSON.parse(aliases) as string[] }, resolver.finish(), users))
      }
      return { users, groups, memberRowsResolved: true }
    },
  }
}
export type SnapshotStore = ReturnType<typeof createSnapshotStore>

