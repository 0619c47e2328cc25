import type { AddressType, UserStatus } from '../../shared/domain/account.ts'
import type { AccountAddressState, AccountGroupState, AccountState, AccountUserState } from '../sync/plan-types.ts'
import type { Db } from './open-database.ts'

/** Reads the whole account directory into the planner's shape. Identical source lists share one array. */
export function loadAccountState(db: Db): AccountState {
  const interned = new Map<string, readonly string[]>()
  const intern = (json: string): readonly string[] => {
    let hit = interned.get(json)
    if (!hit) {
      hit = Object.freeze(JSON.parse(json) as string[])
      interned.set(json, hit)
    }
    return hit
  }

  const addressesByUser = new Map<string, Map<string, AccountAddressState>>()
  const addressOwner = new Map<string, string>()
  for (const row of db.prepare('SELECT address, user_address, type, is_primary FROM addresses').iterate() as Iterable<{ address: string; user_address: string; type: AddressType; is_primary: number }>) {
    let map = addressesByUser.get(row.user_address)
    if (!map) addressesByUser.set(row.user_address, (map = new Map<string, AccountAddressState>()))
    map.set(row.address, { type: row.type, primary: row.is_primary === 1 })
    addressOwner.set(row.address, row.user_address)
  }

  const users = new Map<string, AccountUserState>()
  type UserRow = { address: string; display_name: string; status: UserStatus; deleted_at: string | null; deleted_by: string; attributes: string; sources: string }
  for (const row of db.prepare('SELECT address, display_name, status, deleted_at, deleted_by, attributes, sources FROM users').iterate() as Iterable<UserRow>) {
    users.set(row.address, {
      address: row.address,
      displayName: row.display_name,
      status: row.status,
      deletedAt: row.deleted_at,
      deletedBy: intern(row.deleted_by),
      attributes: JSON.parse(row.attributes) as Record<string, string>,
      sources: intern(row.sources),
      addresses: addressesByUser.get(row.address) ?? new Map<string, AccountAddressState>(),
    })
  }

  const groups = new Map<string, AccountGroupState>()
  type GroupRow = { key: string; name: string; address: string | null; origin: 'directory' | 'manual'; sources: string }
  for (const row of db.prepare('SELECT key, name, address, origin, sources FROM groups').iterate() as Iterable<GroupRow>) {
    groups.set(row.key, { key: row.key, name: row.name, address: row.address, origin: row.origin, sources: intern(row.sources) })
  }

  const memberships = new Map<string, Map<string, readonly string[]>>()
  for (const row of db.prepare('SELECT group_key, user_address, sources FROM memberships').iterate() as Iterable<{ group_key: string; user_address: string; sources: string }>) {
    let members = memberships.get(row.group_key)
    if (!members) memberships.set(row.group_key, (members = new Map<string, readonly string[]>()))
    members.set(row.user_address, intern(row.sources))
  }
  return { users, addressOwner, groups, memberships }
}
