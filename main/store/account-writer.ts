import { ACTION_KIND_TABLE, type SyncAction } from '../../shared/domain/sync-action.ts'
import type { SourceLinks } from '../model/plan-types.ts'
import type { Db } from './open-database.ts'
import { createSourceSets } from './source-sets.ts'
import { memoByMember } from './member-memo.ts'
import { createBulkInsert, type BulkValue } from './bulk-insert.ts'

/** Key lookups one by one before the writer reads a whole key column into a Map. */
const LOOKUPS_BEFORE_MAP = 2000

/**
 * Writes gated actions and source links to the account directory. Call inside the run's
 * transaction: this function does not commit on its own. Rows reference each other by integer
 * id; the writer keeps address → id and key → id maps, loaded once when first needed, so a
 * first sync's 1.2M memberships cost no lookup by text each.
 */
export function createAccountWriter(db: Db, now: string) {
  const s = {
    maxUserId: db.prepare('SELECT coalesce(max(id), 0) FROM users').pluck(),
    insertAddress: db.prepare('INSERT INTO addresses (address, user_id, type, is_primary) VALUES (?, ?, ?, ?)'),
    promote: db.prepare("UPDATE addresses SET type = 'directory' WHERE address = ? AND user_id = ?"),
    demote: db.prepare("UPDATE addresses SET type = 'transit' WHERE address = ? AND user_id = ? AND type = 'directory'"),
    stillDirectory: db.prepare("SELECT 1 FROM addresses WHERE user_id = ? AND type = 'directory' LIMIT 1"),
    clearSources: db.prepare('UPDATE users SET sources = 0, updated_at = ? WHERE id = ?'),
    updateUser: db.prepare('UPDATE users SET display_name = ?, attributes = ?, updated_at = ? WHERE id = ?'),
    setStatus: db.prepare('UPDATE users SET status = ?, deleted_at = NULL, deleted_by = 0, updated_at = ? WHERE id = ?'),
    softDelete: db.prepare("UPDATE users SET status = 'deleted', deleted_at = ?, deleted_by = ?, sources = 0, updated_at = ? WHERE id = ?"),
    purge: db.prepare('DELETE FROM users WHERE id = ?'),
    insertGroup: db.prepare("INSERT INTO groups (key, name, address, origin, sources) VALUES (?, ?, ?, 'directory', ?)"),
    updateGroup: db.prepare('UPDATE groups SET name = ?, address = ? WHERE id = ?'),
    deleteGroup: db.prepare('DELETE FROM groups WHERE id = ?'),
    addGroupAlias: db.prepare('INSERT OR IGNORE INTO group_aliases (group_id, address) VALUES (?, ?)'),
    removeGroupAlias: db.prepare('DELETE FROM group_aliases WHERE group_id = ? AND address = ?'),
    removeMember: db.prepare('DELETE FROM memberships WHERE group_id = ? AND user_id = ?'),
    linkUser: db.prepare('UPDATE users SET sources = ? WHERE id = ? AND sources != ?'),
    linkGroup: db.prepare('UPDATE groups SET sources = ? WHERE id = ? AND sources != ?'),
    linkMember: db.prepare('UPDATE memberships SET sources = ? WHERE group_id = ? AND user_id = ? AND sources != ?'),
    audit: db.prepare("INSERT INTO audit (at, actor, event, subject, detail) VALUES (?, 'sync', ?, ?, ?)"),
    approvedBy: db.prepare('SELECT approved_by, approved_at FROM approvals WHERE action_id = ? AND applied_at IS NULL ORDER BY approved_at LIMIT 1'),
  }
  const sets = createSourceSets(db)
  // A first sync creates 100k users with 400k addresses and adds 1.2M memberships: 64 rows a
  // statement. Buffered: each buffer is written before any action of another kind (actions come
  // in kind order, so each kind is one stretch) and by `flush()`. A new user's id is given, not
  // taken from the insert (max + 1, what SQLite would pick), so its addresses and memberships
  // need no round trip; its addresses are buffered only once its row is written, so they never
  // reference a row that is not there yet (foreign keys may be on).
  const newUsers = createBulkInsert(db, 'INSERT INTO users (id, address, display_name, status, attributes, sources, created_at, updated_at)', 8, (lastId) => {
    // Ids are given in order, so the addresses whose users are now written come first.
    let i = 0
    for (; i < waitingAddresses.length && Number(waitingAddresses[i + 1]) <= lastId; i += 3) newAddresses.add(waitingAddresses[i] ?? null, waitingAddresses[i + 1] ?? null, waitingAddresses[i + 2] ?? null)
    waitingAddresses.splice(0, i)
  })
  // A created user's addresses are all directory addresses: the type is written into the statement.
  const newAddresses = createBulkInsert(db, 'INSERT INTO addresses (address, user_id, type, is_primary)', 3, undefined, "(?, ?, 'directory', ?)")
  /** Addresses of buffered users (address, user id, is primary), until their users' statement is written. */
  const waitingAddresses: BulkValue[] = []
  let nextUserId = 0
  const memberAdds = createBulkInsert(db, 'INSERT OR IGNORE INTO memberships (group_id, user_id, sources)', 3)
  /** Writes every buffer, users before their addresses. */
  function flushNew(): void {
    newUsers.flush()
    newAddresses.flush()
    memberAdds.flush()
  }
  // Consecutive adds are mostly to one group: its id is looked up once per stretch.
  let lastGroup = ''
  let lastGroupId = 0
  const json = (value: unknown): string => JSON.stringify(value)
  const text = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback)
  const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null)
  const textList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [])

  /**
   * Text key → integer id. A few lookups go through the unique index; past LOOKUPS_BEFORE_MAP the
   * whole key column is read once into a Map (a first sync looks up 1.2M memberships' two ends).
   */
  function idIndex(table: 'users' | 'groups', column: 'address' | 'key') {
    const one = db.prepare(`SELECT id FROM ${table} WHERE ${column} = ?`).pluck()
    let map: Map<string, number> | null = null
    let lookups = 0
    return {
      find(key: string): number | undefined {
        if (!map && ++lookups > LOOKUPS_BEFORE_MAP) map = new Map(db.prepare(`SELECT ${column}, id FROM ${table}`).raw().all() as Array<[string, number]>)
        return map ? map.get(key) : (one.get(key) as number | undefined)
      },
      get(key: string): number {
        const id = this.find(key)
        if (id === undefined) throw new Error(`The account directory has no ${table === 'users' ? 'user' : 'group'} ${key} (the plan and the store disagree).`)
        return id
      },
      added(key: string, id: number): void {
        map?.set(key, id)
      },
      removed(key: string): void {
        map?.delete(key)
      },
    }
  }
  const users = idIndex('users', 'address')
  const groups = idIndex('groups', 'key')
  const userId = (address: string): number => users.get(address)
  const groupId = (key: string): number => groups.get(key)
  const members = memoByMember(userId)

  /**
   * Every applied destructive action leaves an append-only audit row: what (kind, target, member,
   * addresses), when, why (the plan's detail), the attributed integrations, and who approved it
   * when it had been held. Rows survive purges (the audit table has no foreign keys).
   */
  function auditDestructive(action: SyncAction): void {
    const event = ACTION_KIND_TABLE[action.kind].auditEvent
    if (!event) return
    const approval = s.approvedBy.get(action.id) as { approved_by: string; approved_at: string } | undefined
    s.audit.run(now, event, action.member ? `${action.target} / ${action.member}` : action.target, json({
      actionId: action.id,
      kind: action.kind,
      integrations: action.integrationIds,
      why: action.detail,
      ...(action.addresses ? { addresses: action.addresses } : {}),
      approvedBy: approval?.approved_by ?? null,
      approvedAt: approval?.approved_at ?? null,
    }))
  }

  function addMember(action: SyncAction): void {
    if (action.target !== lastGroup) {
      lastGroupId = groupId(action.target)
      lastGroup = action.target
    }
    memberAdds.add(lastGroupId, members.of(action), sets.id(action.integrationIds))
  }

  function createUser(action: SyncAction): void {
    if (nextUserId === 0) nextUserId = (s.maxUserId.get() as number) + 1
    const id = nextUserId++
    const p = action.payload ?? {}
    memberAdds.flush()
    newUsers.add(id, action.target, text(p['displayName'], action.target), text(p['status'], 'active'), json(p['attributes'] ?? {}), sets.id(action.integrationIds), now, now)
    users.added(action.target, id)
    for (const address of action.addresses ?? [action.target]) waitingAddresses.push(address, id, address === action.target ? 1 : 0)
  }

  function apply(action: SyncAction): void {
    if (action.kind === 'add-member') {
      if (waitingAddresses.length > 0 || nextUserId !== 0) {
        // The users these memberships point to are written first.
        newUsers.flush()
        newAddresses.flush()
        nextUserId = 0
      }
      addMember(action)
      return
    }
    if (action.kind === 'create-user') {
      createUser(action)
      return
    }
    flushNew()
    nextUserId = 0
    lastGroup = ''
    const p = action.payload ?? {}
    switch (action.kind) {
      case 'add-address': {
        const id = userId(action.target)
        for (const address of action.addresses ?? []) s.insertAddress.run(address, id, 'directory', 0)
        return
      }
      case 'promote-address': {
        const id = userId(action.target)
        for (const address of action.addresses ?? []) s.promote.run(address, id)
        return
      }
      case 'update-user':
        s.updateUser.run(text(p['displayName'], ''), json(p['attributes'] ?? {}), now, userId(action.target))
        return
      case 'disable-user':
        s.setStatus.run('disabled', now, userId(action.target))
        return
      case 'enable-user':
        s.setStatus.run(text(p['status'], 'active'), now, userId(action.target))
        return
      case 'create-group': {
        const id = Number(s.insertGroup.run(action.target, text(p['name'], action.target), textOrNull(p['address']), sets.id(action.integrationIds)).lastInsertRowid)
        groups.added(action.target, id)
        for (const alias of textList(p['aliases'])) s.addGroupAlias.run(id, alias)
        return
      }
      case 'add-group-alias': {
        const id = groupId(action.target)
        for (const alias of action.addresses ?? []) s.addGroupAlias.run(id, alias)
        return
      }
      case 'remove-group-alias': {
        const id = groupId(action.target)
        for (const alias of action.addresses ?? []) s.removeGroupAlias.run(id, alias)
        auditDestructive(action)
        return
      }
      case 'update-group':
        s.updateGroup.run(text(p['name'], action.target), textOrNull(p['address']), groupId(action.target))
        return
      case 'remove-member':
        s.removeMember.run(groupId(action.target), userId(action.member ?? ''))
        auditDestructive(action)
        return
      case 'demote-address': {
        const id = userId(action.target)
        for (const address of action.addresses ?? []) s.demote.run(address, id)
        // A user demoted as a whole is no longer backed by any directory.
        if (!s.stillDirectory.get(id)) s.clearSources.run(now, id)
        auditDestructive(action)
        return
      }
      case 'delete-user':
        s.softDelete.run(now, sets.id(action.integrationIds), now, userId(action.target))
        auditDestructive(action)
        return
      case 'purge-user':
        s.purge.run(userId(action.target))
        users.removed(action.target)
        members.forget()
        auditDestructive(action)
        return
      case 'delete-group':
        s.deleteGroup.run(groupId(action.target))
        groups.removed(action.target)
        auditDestructive(action)
        return
    }
  }

  /** Who backs what after the run; rows whose sources did not change are not rewritten, rows that do not exist are skipped. */
  function link(links: SourceLinks): void {
    flushNew()
    for (const [address, sources] of links.users) {
      const id = users.find(address)
      const set = sets.id(sources)
      if (id !== undefined) s.linkUser.run(set, id, set)
    }
    for (const [key, sources] of links.groups) {
      const id = groups.find(key)
      const set = sets.id(sources)
      if (id !== undefined) s.linkGroup.run(set, id, set)
    }
    for (const [group, user, sources] of links.memberships) {
      const g = groups.find(group)
      const u = users.find(user)
      const set = sets.id(sources)
      if (g !== undefined && u !== undefined) s.linkMember.run(set, g, u, set)
    }
  }

  return {
    apply,
    link,
    /** Writes buffered memberships (before reading the memberships table, and before the commit). */
    flush: flushNew,
  }
}
