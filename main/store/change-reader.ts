import type { JournalState } from '../../shared/domain/journal.ts'
import type { SyncAction } from '../../shared/domain/sync-action.ts'
import type { Db } from './open-database.ts'

export interface ObjectChange {
  readonly before: JournalState | null
  readonly after: JournalState | null
}

/**
 * Before → after of one action, for the journal: read from the account directory as it is now
 * (call it before the action is written), after from the action itself. Memberships need no
 * read (the kind says in → out); creations have no before.
 */
export function createChangeReader(db: Db) {
  const s = {
    user: db.prepare('SELECT display_name, status, attributes FROM users WHERE address = ?'),
    addressType: db.prepare('SELECT type FROM addresses WHERE address = ?').pluck(),
    group: db.prepare('SELECT name, address FROM groups WHERE key = ?'),
    groupAliases: db.prepare('SELECT a.address FROM group_aliases a JOIN groups g ON g.id = a.group_id WHERE g.key = ? ORDER BY a.address').pluck(),
  }
  type UserRow = { display_name: string; status: string; attributes: string }
  type GroupRow = { name: string; address: string | null }
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : null)

  function addressTypes(addresses: readonly string[]): Record<string, string | null> {
    return Object.fromEntries(addresses.map((a) => [a, (s.addressType.get(a) as string | undefined) ?? null]))
  }

  return {
    of(action: SyncAction): ObjectChange {
      const p = action.payload ?? {}
      const addresses = action.addresses ?? []
      switch (action.kind) {
        case 'add-member':
        case 'remove-member':
          return { before: null, after: null }
        case 'create-user':
          return { before: null, after: { displayName: text(p['displayName']), status: text(p['status']) ?? 'active', addresses: action.addresses ?? [action.target] } }
        case 'create-group':
          return { before: null, after: { name: text(p['name']), address: text(p['address']), ...(Array.isArray(p['aliases']) ? { aliases: p['aliases'] } : {}) } }
        case 'add-group-alias':
        case 'remove-group-alias': {
          // Before and after of the group's whole alias list, so a history reads "a, b → a".
          const before = s.groupAliases.all(action.target) as string[]
          const after = action.kind === 'add-group-alias' ? [...new Set([...before, ...addresses])].sort() : before.filter((a) => !addresses.includes(a))
          return { before: { aliases: before }, after: { aliases: after } }
        }
        case 'add-address':
          return { before: null, after: { addressTypes: Object.fromEntries(addresses.map((a) => [a, 'directory'])) } }
        case 'promote-address':
          return { before: { addressTypes: addressTypes(addresses) }, after: { addressTypes: Object.fromEntries(addresses.map((a) => [a, 'directory'])) } }
        case 'demote-address':
          return { before: { addressTypes: addressTypes(addresses) }, after: { addressTypes: Object.fromEntries(addresses.map((a) => [a, 'transit'])) } }
        case 'update-user': {
          const row = s.user.get(action.target) as UserRow | undefined
          return { before: row ? { displayName: row.display_name, attributes: JSON.parse(row.attributes) as unknown } : null, after: { displayName: text(p['displayName']), attributes: p['attributes'] ?? {} } }
        }
        case 'enable-user':
        case 'disable-user':
        case 'delete-user': {
          const row = s.user.get(action.target) as UserRow | undefined
          const status = action.kind === 'enable-user' ? (text(p['status']) ?? 'active') : action.kind === 'disable-user' ? 'disabled' : 'deleted'
          return { before: row ? { status: row.status } : null, after: { status } }
        }
        case 'purge-user': {
          const row = s.user.get(action.target) as UserRow | undefined
          return { before: row ? { displayName: row.display_name, status: row.status } : null, after: null }
        }
        case 'update-group':
        case 'delete-group': {
          const row = s.group.get(action.target) as GroupRow | undefined
          return { before: row ? { name: row.name, address: row.address } : null, after: action.kind === 'update-group' ? { name: text(p['name']), address: text(p['address']) } : null }
        }
      }
    },
  }
}
export type ChangeReader = ReturnType<typeof createChangeReader>
