import type { SnapshotDelta } from '../model/snapshot-delta.ts'
import type { Db } from './open-database.ts'
import { decodeMemberList, encodeMemberList } from './member-list.ts'

export interface SnapshotCounts {
  readonly users: number
  readonly groups: number
  readonly memberships: number
}

/** What a staged read is compared with, and how it applies. */
export interface DiffTarget {
  /** The staged snapshot's key (what the read wrote). */
  readonly staged: number
  /** The current snapshot's key, changed in place by `apply`. */
  readonly current: number
  readonly currentCounts: SnapshotCounts
  /**
   * Full: the read is everything (what it lacks is removed). Incremental: the read is what changed
   * (the rest stays), and `deletedUsers`/`deletedGroups` (snapshot_ids numbers) are removed; a
   * deleted user also leaves every group the read did not send again.
   */
  readonly mode: 'full' | 'incremental'
  readonly deletedUsers: readonly number[]
  readonly deletedGroups: readonly number[]
}

/**
 * The difference between a staged read and the current snapshot, kept in TEMP tables of this
 * connection (never in the store file, so a killed process leaves nothing behind): users and
 * groups added, changed or removed, member rows added or removed per group. Computing it reads
 * only: the current snapshot changes only in `apply`, which the caller runs inside the
 * promotion's transaction. Rows the read sent unchanged (a connector re-sending what it is not
 * sure about) are no change.
 */
export function createSnapshotDiff(db: Db) {
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS diff_deleted_users (id INTEGER PRIMARY KEY);
    CREATE TEMP TABLE IF NOT EXISTS diff_deleted_groups (id INTEGER PRIMARY KEY);
    CREATE TEMP TABLE IF NOT EXISTS diff_users_gone (id INTEGER PRIMARY KEY);
    CREATE TEMP TABLE IF NOT EXISTS diff_groups_gone (id INTEGER PRIMARY KEY);
    CREATE TEMP TABLE IF NOT EXISTS diff_users_set (id INTEGER PRIMARY KEY, added INTEGER NOT NULL);
    CREATE TEMP TABLE IF NOT EXISTS diff_groups_set (id INTEGER PRIMARY KEY, added INTEGER NOT NULL);
    CREATE TEMP TABLE IF NOT EXISTS diff_groups_rewritten (id INTEGER PRIMARY KEY, members BLOB NOT NULL);
  `)
  const TABLES = ['diff_deleted_users', 'diff_deleted_groups', 'diff_users_gone', 'diff_groups_gone', 'diff_users_set', 'diff_groups_set', 'diff_groups_rewritten']
  const clear = TABLES.map((table) => db.prepare(`DELETE FROM temp.${table}`))
  const markDeletedUser = db.prepare('INSERT OR IGNORE INTO temp.diff_deleted_users (id) VALUES (?)')
  const markDeletedGroup = db.prepare('INSERT OR IGNORE INTO temp.diff_deleted_groups (id) VALUES (?)')

  /**
   * Full read: whatever the current snapshot has and the read has not. Incremental: what the read
   * reported deleted, if the current snapshot has it and the read did not send it again.
   */
  const gone = (table: 'snapshot_users' | 'snapshot_groups', column: 'user' | 'grp', kind: 'users' | 'groups') => ({
    full: db.prepare(
      `INSERT INTO temp.diff_${kind}_gone (id) SELECT c.${column} FROM ${table} c
       WHERE c.snap = @current AND NOT EXISTS (SELECT 1 FROM ${table} s WHERE s.snap = @staged AND s.${column} = c.${column})`,
    ),
    incremental: db.prepare(
      `INSERT INTO temp.diff_${kind}_gone (id) SELECT d.id FROM temp.diff_deleted_${kind} d
       WHERE EXISTS (SELECT 1 FROM ${table} c WHERE c.snap = @current AND c.${column} = d.id)
         AND NOT EXISTS (SELECT 1 FROM ${table} s WHERE s.snap = @staged AND s.${column} = d.id)`,
    ),
  })
  const usersGone = gone('snapshot_users', 'user', 'users')
  const groupsGone = gone('snapshot_groups', 'grp', 'groups')
  const compute = {
    usersSet: db.prepare(
      `INSERT INTO temp.diff_users_set (id, added) SELECT s.user, c.user IS NULL FROM snapshot_users s
       LEFT JOIN snapshot_users c ON c.snap = @current AND c.user = s.user
       WHERE s.snap = @staged AND (c.user IS NULL OR c.primary_address IS NOT s.primary_address OR c.aliases IS NOT s.aliases
         OR c.display_name IS NOT s.display_name OR c.enabled IS NOT s.enabled OR c.attributes IS NOT s.attributes)`,
    ),
    // A group the read sent carries its complete member list (a packed value, member-list.ts): it changed when the list did.
    groupsSet: db.prepare(
      `INSERT INTO temp.diff_groups_set (id, added) SELECT s.grp, c.grp IS NULL FROM snapshot_groups s
       LEFT JOIN snapshot_groups c ON c.snap = @current AND c.grp = s.grp
       WHERE s.snap = @staged AND (c.grp IS NULL OR c.name IS NOT s.name OR c.address IS NOT s.address OR c.aliases IS NOT s.aliases OR c.members IS NOT s.members)`,
    ),
  }
  // A deleted user leaves the groups the read did not send again: their lists are rewritten without it (only when someone was deleted).
  const unsentGroups = db
    .prepare(
      `SELECT c.grp, c.members FROM snapshot_groups c WHERE c.snap = @current
         AND NOT EXISTS (SELECT 1 FROM snapshot_groups s WHERE s.snap = @staged AND s.grp = c.grp) AND c.grp NOT IN (SELECT id FROM temp.diff_groups_gone)`,
    )
    .raw()
  const rewrite = db.prepare('INSERT INTO temp.diff_groups_rewritten (id, members) VALUES (?, ?)')
  const deletedUserIds = db.prepare('SELECT id FROM temp.diff_deleted_users').pluck()
  function rewriteWithout(deleted: ReadonlySet<number>, keys: { staged: number; current: number }): void {
    // Collected first: the rows are written while the statement that reads them is done.
    const rewritten: Array<[number, Buffer]> = []
    for (const [grp, list] of unsentGroups.iterate(keys) as Iterable<[number, Buffer]>) {
      const members = decodeMemberList(list)
      const kept = members.filter((member) => !deleted.has(member))
      if (kept.length < members.length) rewritten.push([grp, encodeMemberList(kept)])
    }
    for (const [grp, list] of rewritten) rewrite.run(grp, list)
  }
  // Member counts are list lengths (4 bytes a member).
  const tally = db.prepare(
    `SELECT (SELECT count(*) FROM temp.diff_users_set WHERE added) AS usersAdded, (SELECT count(*) FROM temp.diff_users_gone) AS usersGone,
            (SELECT count(*) FROM temp.diff_groups_set WHERE added) AS groupsAdded, (SELECT count(*) FROM temp.diff_groups_gone) AS groupsGone,
            ((SELECT ifnull(sum(length(s.members) - ifnull(length(c.members), 0)), 0) FROM temp.diff_groups_set d
                CROSS JOIN snapshot_groups s ON s.snap = @staged AND s.grp = d.id LEFT JOIN snapshot_groups c ON c.snap = @current AND c.grp = d.id)
             - (SELECT ifnull(sum(length(c.members)), 0) FROM temp.diff_groups_gone d CROSS JOIN snapshot_groups c ON c.snap = @current AND c.grp = d.id)
             + (SELECT ifnull(sum(length(r.members) - length(c.members)), 0) FROM temp.diff_groups_rewritten r CROSS JOIN snapshot_groups c ON c.snap = @current AND c.grp = r.id)) / 4 AS membersChange`,
  )
  const apply = [
    db.prepare('DELETE FROM snapshot_users WHERE snap = @current AND user IN (SELECT id FROM temp.diff_users_gone)'),
    db.prepare(
      `INSERT OR REPLACE INTO snapshot_users (snap, user, primary_address, aliases, display_name, enabled, attributes)
       SELECT @current, s.user, s.primary_address, s.aliases, s.display_name, s.enabled, s.attributes FROM temp.diff_users_set d
       CROSS JOIN snapshot_users s ON s.snap = @staged AND s.user = d.id`,
    ),
    db.prepare('DELETE FROM snapshot_groups WHERE snap = @current AND grp IN (SELECT id FROM temp.diff_groups_gone)'),
    db.prepare(
      `INSERT OR REPLACE INTO snapshot_groups (snap, grp, name, address, aliases, members)
       SELECT @current, s.grp, s.name, s.address, s.aliases, s.members FROM temp.diff_groups_set d
       CROSS JOIN snapshot_groups s ON s.snap = @staged AND s.grp = d.id`,
    ),
    db.prepare('UPDATE snapshot_groups SET members = r.members FROM temp.diff_groups_rewritten r WHERE snapshot_groups.snap = @current AND snapshot_groups.grp = r.id'),
  ]
  const changedUsers = db.prepare('SELECT i.external_id FROM (SELECT id FROM temp.diff_users_set UNION SELECT id FROM temp.diff_users_gone) x JOIN snapshot_ids i ON i.id = x.id').pluck()
  const changedGroups = db
    .prepare(
      `SELECT i.external_id FROM (SELECT id FROM temp.diff_groups_set UNION SELECT id FROM temp.diff_groups_gone
         UNION SELECT id FROM temp.diff_groups_rewritten) x JOIN snapshot_ids i ON i.id = x.id`,
    )
    .pluck()

  /** The target the temp tables hold the difference for, and its counts (null: none, or stale). */
  let computed: { target: DiffTarget; counts: SnapshotCounts } | null = null

  return {
    /**
     * Computes the difference (reading only) and returns the counts the current snapshot would
     * have after `apply`, without materialising it.
     */
    compute(target: DiffTarget): SnapshotCounts {
      const keys = { staged: target.staged, current: target.current }
      db.transaction(() => {
        for (const statement of clear) statement.run()
        if (target.mode === 'full') {
          usersGone.full.run(keys)
          groupsGone.full.run(keys)
        } else {
          for (const id of target.deletedUsers) markDeletedUser.run(id)
          for (const id of target.deletedGroups) markDeletedGroup.run(id)
          usersGone.incremental.run(keys)
          groupsGone.incremental.run(keys)
          if (target.deletedUsers.length > 0) rewriteWithout(new Set(deletedUserIds.all() as number[]), keys)
        }
        compute.usersSet.run(keys)
        compute.groupsSet.run(keys)
      })()
      const t = tally.get(keys) as { usersAdded: number; usersGone: number; groupsAdded: number; groupsGone: number; membersChange: number }
      const was = target.currentCounts
      const counts = { users: was.users + t.usersAdded - t.usersGone, groups: was.groups + t.groupsAdded - t.groupsGone, memberships: was.memberships + t.membersChange }
      computed = { target, counts }
      return counts
    },

    /** The counts, when the temp tables hold the difference for exactly this target (else null: compute it). */
    held(target: DiffTarget): SnapshotCounts | null {
      if (!computed) return null
      const was = computed.target
      return was.staged === target.staged && was.current === target.current && was.mode === target.mode ? computed.counts : null
    },

    /** What the computed difference changes (external ids), for dirty-set planning. */
    delta(): SnapshotDelta {
      return { everything: false, users: changedUsers.all() as string[], groups: changedGroups.all() as string[] }
    },

    /** Writes the computed difference into the current snapshot; call inside the promotion's transaction. */
    apply(): void {
      if (!computed) throw new Error('No snapshot difference was computed to apply.')
      const keys = { staged: computed.target.staged, current: computed.target.current }
      for (const statement of apply) statement.run(keys)
    },

    /** Forgets the difference (after it was applied, or when the staged read changes or goes). */
    reset(): void {
      if (computed === null) return
      computed = null
      for (const statement of clear) statement.run()
    },
  }
}
export type SnapshotDiff = ReturnType<typeof createSnapshotDiff>
