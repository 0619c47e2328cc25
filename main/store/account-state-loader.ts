import type { AddressType, UserStatus } from '../../shared/domain/account.ts'
import { AccountStateBuilder } from '../model/account-state.ts'
import type { AccountAddressState, AccountState } from '../model/plan-types.ts'
import type { Db } from './open-database.ts'

/** Reads the whole account directory into the planner's numbered shape. Identical source lists share one array. */
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

  const addressesByUser = new Map<string, AccountAddressState[]>()
  for (const row of db.prepare('SELECT address, user_address, type, is_primary FROM addresses').iterate() as Iterable<{ address: string; user_address: string; type: AddressType; is_primary: number }>) {
    let list = addressesByUser.get(row.user_address)
    if (!list) addressesByUser.set(row.user_address, (list = []))
    list.push({ address: row.address, type: row.type, primary: row.is_primary === 1 })
  }

  const builder = new AccountStateBuilder()
  type UserRow = { address: string; display_name: string; status: UserStatus; deleted_at: string | null; deleted_by: string; attributes: string; sources: string }
  for (const row of db.prepare('SELECT address, display_name, status, deleted_at, deleted_by, attributes, sources FROM users').iterate() as Iterable<UserRow>) {
    builder.addUser({
      address: row.address,
      displayName: row.display_name,
      status: row.status,
      deletedAt: row.deleted_at,
      deletedBy: intern(row.deleted_by),
      attributes: JSON.parse(row.attributes) as Record<string, string>,
      sources: intern(row.sources),
      addresses: addressesByUser.get(row.address) ?? [],
    })
  }
  addressesByUser.clear()

  type GroupRow = { key: string; name: string; address: string | null; origin: 'directory' | 'manual'; sources: string }
  for (const row of db.prepare('SELECT key, name, address, origin, sources FROM groups').iterate() as Iterable<GroupRow>) {
    builder.addGroup({ key: row.key, name: row.name, address: row.address, origin: row.origin, sources: intern(row.sources) })
  }

  for (const row of db.prepare('SELECT group_key, user_address, sources FROM memberships').iterate() as Iterable<{ group_key: string; user_address: string; sources: string }>) {
    builder.addMember(row.group_key, row.user_address, intern(row.sources))
  }
  return builder.build()
}
