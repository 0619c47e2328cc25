import { randomUUID } from 'node:crypto'
import type { DirectoryGroup, DirectoryUser } from '../../shared/domain/directory-snapshot.ts'
import { IndexedGroup, MemberRowResolver, NO_MEMBERS, type IndexedSnapshotData, type ResolvedMembers } from '../model/indexed-snapshot.ts'
import type { Db } from './open-database.ts'

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
 * Snapshots: a read is written into a *staged* snapshot page by page; only a complete, validated
 * read is promoted to *current* (the previous current is kept as *previous* for comparison, older
 * ones are dropped). A failed read's staged rows are discarded, and the last good snapshot stays.
 */
export function createSnapshotStore(db: Db) {
  const insertUser = db.prepare('INSERT OR REPLACE INTO snapshot_users (snapshot_id, external_id, primary_address, aliases, display_name, enabled, attributes) VALUES (?, ?, ?, ?, ?, ?, ?)')
  const insertGroup = db.prepare('INSERT OR REPLACE INTO snapshot_groups (snapshot_id, external_id, name, address) VALUES (?, ?, ?, ?)')
  const insertMember = db.prepare('INSERT OR IGNORE INTO snapshot_members (snapshot_id, group_id, user_id) VALUES (?, ?, ?)')
  const deleteGroupMembers = db.prepare('DELETE FROM snapshot_members WHERE snapshot_id = ? AND group_id = ?')

  function dropSnapshot(id: string): void {
    db.prepare('DELETE FROM snapshot_users WHERE snapshot_id = ?').run(id)
    db.prepare('DELETE FROM snapshot_groups WHERE snapshot_id = ?').run(id)
    db.prepare('DELETE FROM snapshot_members WHERE snapshot_id = ?').run(id)
    db.prepare('DELETE FROM snapshots WHERE id = ?').run(id)
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
     * Completes an incremental read: everything of the base snapshot that the read neither
     * rewrote nor deleted is carried over (a group the read rewrote keeps only its new members).
     */
    mergeBase(stagedId: string, baseId: string, deletedUsers: readonly string[], deletedGroups: readonly string[]): void {
      db.transaction(() => {
        db.exec('CREATE TEMP TABLE IF NOT EXISTS merge_deleted (kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID')
        db.exec('DELETE FROM merge_deleted')
        const mark = db.prepare('INSERT OR IGNORE INTO merge_deleted (kind, id) VALUES (?, ?)')
        for (const id of deletedUsers) mark.run('user', id)
        for (const id of deletedGroups) mark.run('group', id)
        db.prepare(
          `INSERT OR IGNORE INTO snapshot_members (snapshot_id, group_id, user_id)
           SELECT ?, group_id, user_id FROM snapshot_members
           WHERE snapshot_id = ?
             AND group_id NOT IN (SELECT external_id FROM snapshot_groups WHERE snapshot_id = ?)
             AND group_id NOT IN (SELECT id FROM merge_deleted WHERE kind = 'group')
             AND user_id NOT IN (SELECT id FROM merge_deleted WHERE kind = 'user')`,
        ).run(stagedId, baseId, stagedId)
        db.prepare(
          `INSERT OR IGNORE INTO snapshot_groups (snapshot_id, external_id, name, address)
           SELECT ?, external_id, name, address FROM snapshot_groups
           WHERE snapshot_id = ? AND external_id NOT IN (SELECT id FROM merge_deleted WHERE kind = 'group')`,
        ).run(stagedId, baseId)
        db.prepare(
          `INSERT OR IGNORE INTO snapshot_users (snapshot_id, external_id, primary_address, aliases, display_name, enabled, attributes)
           SELECT ?, external_id, primary_address, aliases, display_name, enabled, attributes FROM snapshot_users
           WHERE snapshot_id = ? AND external_id NOT IN (SELECT id FROM merge_deleted WHERE kind = 'user')`,
        ).run(stagedId, baseId)
        db.exec('DELETE FROM merge_deleted')
      })()
    },

    /** Every user and group external id of a snapshot (what an id-enumerating read compares with). */
    externalIds(snapshotId: string): { users: string[]; groups: string[] } {
      return {
        users: db.prepare('SELECT external_id FROM snapshot_users WHERE snapshot_id = ?').pluck().all(snapshotId) as string[],
        groups: db.prepare('SELECT external_id FROM snapshot_groups WHERE snapshot_id = ?').pluck().all(snapshotId) as string[],
      }
    },

    writeUsers(snapshotId: string, users: readonly DirectoryUser[]): void {
      db.transaction(() => {
        for (const u of users) insertUser.run(snapshotId, u.externalId, u.primaryAddress.toLowerCase(), JSON.stringify(u.aliases), u.displayName, u.enabled ? 1 : 0, JSON.stringify(u.attributes))
      })()
    },

    /** A group's member list is complete: it replaces what the staged snapshot had for that group. */
    writeGroups(snapshotId: string, groups: readonly DirectoryGroup[]): void {
      db.transaction(() => {
        for (const g of groups) {
          insertGroup.run(snapshotId, g.externalId, g.name, g.address ? g.address.toLowerCase() : null)
          deleteGroupMembers.run(snapshotId, g.externalId)
          for (const member of g.memberIds) insertMember.run(snapshotId, g.externalId, member)
        }
      })()
    },

    /** Counts the staged snapshot (memberships only to users it holds). */
    count(snapshotId: string): { users: number; groups: number; memberships: number } {
      const users = (db.prepare('SELECT count(*) AS n FROM snapshot_users WHERE snapshot_id = ?').get(snapshotId) as { n: number }).n
      const groups = (db.prepare('SELECT count(*) AS n FROM snapshot_groups WHERE snapshot_id = ?').get(snapshotId) as { n: number }).n
      const memberships = (db.prepare('SELECT count(*) AS n FROM snapshot_members WHERE snapshot_id = ?').get(snapshotId) as { n: number }).n
      return { users, groups, memberships }
    },

    /** Makes the staged snapshot current; keeps the old current as previous; drops anything older. */
    promote(snapshotId: string, integrationId: string, mode: 'full' | 'incremental', modeReason: string): SnapshotInfo {
      const counts = this.count(snapshotId)
      db.transaction(() => {
        const old = db.prepare("SELECT id FROM snapshots WHERE integration_id = ? AND state = 'previous'").all(integrationId) as Array<{ id: string }>
        for (const row of old) dropSnapshot(row.id)
        db.prepare("UPDATE snapshots SET state = 'previous' WHERE integration_id = ? AND state = 'current'").run(integrationId)
        db.prepare("UPDATE snapshots SET state = 'current', mode = ?, mode_reason = ?, users = ?, groups = ?, memberships = ? WHERE id = ?").run(mode, modeReason, counts.users, counts.groups, counts.memberships, snapshotId)
      })()
      return this.current(integrationId) as SnapshotInfo
    },

    discard(snapshotId: string): void {
      db.transaction(() => dropSnapshot(snapshotId))()
    },

    /** Staged snapshots left by a crash or kill mid-read are never promoted: drop them at start. */
    discardAllStaged(): number {
      const staged = db.prepare("SELECT id FROM snapshots WHERE state = 'staged'").all() as Array<{ id: string }>
      db.transaction(() => staged.forEach((row) => dropSnapshot(row.id)))()
      return staged.length
    },

    dropAll(integrationId: string): void {
      const rows = db.prepare('SELECT id FROM snapshots WHERE integration_id = ?').all(integrationId) as Array<{ id: string }>
      db.transaction(() => rows.forEach((row) => dropSnapshot(row.id)))()
    },

    /**
     * The snapshot for planning (and for the coverage report): groups list their members also as
     * positions in `users`, resolved here once, so the planner never looks member ids up by string
     * and 5M member id strings are not kept alive (`memberIds` is derived on demand).
     */
    load(snapshotId: string): IndexedSnapshotData {
      const users: DirectoryUser[] = []
      type UserRow = { external_id: string; primary_address: string; aliases: string; display_name: string; enabled: number; attributes: string }
      for (const r of db.prepare('SELECT external_id, primary_address, aliases, display_name, enabled, attributes FROM snapshot_users WHERE snapshot_id = ?').iterate(snapshotId) as Iterable<UserRow>) {
        users.push({ externalId: r.external_id, primaryAddress: r.primary_address, aliases: JSON.parse(r.aliases) as string[], displayName: r.display_name, enabled: r.enabled === 1, attributes: JSON.parse(r.attributes) as Record<string, string> })
      }
      const resolver = new MemberRowResolver(users)
      const membersByGroup = new Map<string, ResolvedMembers>()
      let open: string | null = null
      // Members arrive grouped by group (the primary key's order), so one group is open at a time.
      for (const r of db.prepare('SELECT group_id, user_id FROM snapshot_members WHERE snapshot_id = ? ORDER BY group_id, user_id').iterate(snapshotId) as Iterable<{ group_id: string; user_id: string }>) {
        if (open !== r.group_id) {
          if (open !== null) membersByGroup.set(open, resolver.finish())
          open = r.group_id
        }
        resolver.add(r.user_id)
      }
      if (open !== null) membersByGroup.set(open, resolver.finish())
      const groups: IndexedGroup[] = []
      for (const r of db.prepare('SELECT external_id, name, address FROM snapshot_groups WHERE snapshot_id = ?').iterate(snapshotId) as Iterable<{ external_id: string; name: string; address: string | null }>) {
        groups.push(new IndexedGroup({ externalId: r.external_id, name: r.name, address: r.address }, membersByGroup.get(r.external_id) ?? NO_MEMBERS, users))
      }
      return { users, groups, memberRowsResolved: true }
    },
  }
}
export type SnapshotStore = ReturnType<typeof createSnapshotStore>
