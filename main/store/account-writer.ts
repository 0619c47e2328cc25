import { ACTION_KIND_TABLE, type SyncAction } from '../../shared/domain/sync-action.ts'
import type { SourceLinks } from '../model/plan-types.ts'
import type { Db } from './open-database.ts'

/**
 * Writes gated actions and source links to the account directory. Call inside the run's
 * transaction: this function does not commit on its own.
 */
export function createAccountWriter(db: Db, now: string) {
  const s = {
    insertUser: db.prepare('INSERT INTO users (address, display_name, status, attributes, sources, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    insertAddress: db.prepare('INSERT INTO addresses (address, user_address, type, is_primary) VALUES (?, ?, ?, ?)'),
    promote: db.prepare("UPDATE addresses SET type = 'directory' WHERE address = ? AND user_address = ?"),
    demote: db.prepare("UPDATE addresses SET type = 'transit' WHERE address = ? AND user_address = ? AND type = 'directory'"),
    clearSources: db.prepare("UPDATE users SET sources = '[]', updated_at = ? WHERE address = ?"),
    updateUser: db.prepare('UPDATE users SET display_name = ?, attributes = ?, updated_at = ? WHERE address = ?'),
    setStatus: db.prepare("UPDATE users SET status = ?, deleted_at = NULL, deleted_by = '[]', updated_at = ? WHERE address = ?"),
    softDelete: db.prepare("UPDATE users SET status = 'deleted', deleted_at = ?, deleted_by = ?, sources = '[]', updated_at = ? WHERE address = ?"),
    purge: db.prepare('DELETE FROM users WHERE address = ?'),
    insertGroup: db.prepare("INSERT INTO groups (key, name, address, origin, sources) VALUES (?, ?, ?, 'directory', ?)"),
    updateGroup: db.prepare('UPDATE groups SET name = ?, address = ? WHERE key = ?'),
    deleteGroup: db.prepare('DELETE FROM groups WHERE key = ?'),
    addMember: db.prepare('INSERT OR IGNORE INTO memberships (group_key, user_address, sources) VALUES (?, ?, ?)'),
    removeMember: db.prepare('DELETE FROM memberships WHERE group_key = ? AND user_address = ?'),
    linkUser: db.prepare('UPDATE users SET sources = ? WHERE address = ?'),
    linkGroup: db.prepare('UPDATE groups SET sources = ? WHERE key = ?'),
    linkMember: db.prepare('UPDATE memberships SET sources = ? WHERE group_key = ? AND user_address = ?'),
    audit: db.prepare("INSERT INTO audit (at, actor, event, subject, detail) VALUES (?, 'sync', ?, ?, ?)"),
    approvedBy: db.prepare('SELECT approved_by, approved_at FROM approvals WHERE action_id = ? AND applied_at IS NULL ORDER BY approved_at LIMIT 1'),
  }
  const json = (value: unknown): string => JSON.stringify(value)
  const text = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback)
  const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null)

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

  function apply(action: SyncAction): void {
    const p = action.payload ?? {}
    switch (action.kind) {
      case 'create-user': {
        s.insertUser.run(action.target, text(p['displayName'], action.target), text(p['status'], 'active'), json(p['attributes'] ?? {}), json(action.integrationIds), now, now)
        for (const address of action.addresses ?? [action.target]) s.insertAddress.run(address, action.target, 'directory', address === action.target ? 1 : 0)
        return
      }
      case 'add-address':
        for (const address of action.addresses ?? []) s.insertAddress.run(address, action.target, 'directory', 0)
        return
      case 'promote-address':
        for (const address of action.addresses ?? []) s.promote.run(address, action.target)
        return
      case 'update-user':
        s.updateUser.run(text(p['displayName'], ''), json(p['attributes'] ?? {}), now, action.target)
        return
      case 'disable-user':
        s.setStatus.run('disabled', now, action.target)
        return
      case 'enable-user':
        s.setStatus.run(text(p['status'], 'active'), now, action.target)
        return
      case 'create-group':
        s.insertGroup.run(action.target, text(p['name'], action.target), textOrNull(p['address']), json(action.integrationIds))
        return
      case 'update-group':
        s.updateGroup.run(text(p['name'], action.target), textOrNull(p['address']), action.target)
        return
      case 'add-member':
        s.addMember.run(action.target, action.member, json(action.integrationIds))
        return
      case 'remove-member':
        s.removeMember.run(action.target, action.member)
        auditDestructive(action)
        return
      case 'demote-address': {
        for (const address of action.addresses ?? []) s.demote.run(address, action.target)
        // A user demoted as a whole is no longer backed by any directory.
        const stillDirectory = db.prepare("SELECT 1 FROM addresses WHERE user_address = ? AND type = 'directory' LIMIT 1").get(action.target)
        if (!stillDirectory) s.clearSources.run(now, action.target)
        auditDestructive(action)
        return
      }
      case 'delete-user':
        s.softDelete.run(now, json(action.integrationIds), now, action.target)
        auditDestructive(action)
        return
      case 'purge-user':
        s.purge.run(action.target)
        auditDestructive(action)
        return
      case 'delete-group':
        s.deleteGroup.run(action.target)
        auditDestructive(action)
        return
    }
  }

  function link(links: SourceLinks): void {
    for (const [address, sources] of links.users) s.linkUser.run(json(sources), address)
    for (const [key, sources] of links.groups) s.linkGroup.run(json(sources), key)
    for (const [group, user, sources] of links.memberships) s.linkMember.run(json(sources), group, user)
  }

  return { apply, link }
}
