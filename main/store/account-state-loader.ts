import type { AddressType, UserStatus } from '../../shared/domain/account.ts'
import { AccountStateBuilder } from '../model/account-state.ts'
import type { AccountAddressState, AccountState } from '../model/plan-types.ts'
import type { Db } from './open-database.ts'
import { createSourceSets } from './source-sets.ts'

/**
 * Reads the whole account directory into the planner's numbered shape. Rows come by integer id,
 * source lists by their set id (identical lists are one shared array).
 */
export function loadAccountState(db: Db): AccountState {
  const sets = createSourceSets(db)
  sets.loadAll()

  const addressesByUser = new Map<number, AccountAddressState[]>()
  for (const [address, userId, type, isPrimary] of db.prepare('SELECT address, user_id, type, is_primary FROM addresses').raw().iterate() as Iterable<[string, number, AddressType, number]>) {
    let list = addressesByUser.get(userId)
    if (!list) addressesByUser.set(userId, (list = []))
    list.push({ address, type, primary: isPrimary === 1 })
  }

  const builder = new AccountStateBuilder()
  const userAddress = new Map<number, string>()
  type UserRow = [id: number, address: string, displayName: string, status: UserStatus, deletedAt: string | null, deletedBy: number, attributes: string, sources: number]
  for (const [id, address, displayName, status, deletedAt, deletedBy, attributes, sources] of db.prepare('SELECT id, address, display_name, status, deleted_at, deleted_by, attributes, sources FROM users').raw().iterate() as Iterable<UserRow>) {
    userAddress.set(id, address)
    builder.addUser({
      address,
      displayName,
      status,
      deletedAt,
      deletedBy: sets.list(deletedBy),
      attributes: attributes === '{}' ? {} : (JSON.parse(attributes) as Record<string, string>),
      sources: sets.list(sources),
      addresses: addressesByUser.get(id) ?? [],
    })
  }
  addressesByUser.clear()

  // Few groups have aliases: one pass over the table, sorted as the planner compares them.
  const aliasesByGroup = new Map<number, string[]>()
  for (const [groupId, alias] of db.prepare('SELECT group_id, address FROM group_aliases ORDER BY group_id, address').raw().iterate() as Iterable<[number, string]>) {
    const list = aliasesByGroup.get(groupId)
    if (list) list.push(alias)
    else aliasesByGroup.set(groupId, [alias])
  }
  const groupKey = new Map<number, string>()
  type GroupRow = [id: number, key: string, name: string, address: string | null, origin: 'directory' | 'manual', sources: number]
  for (const [id, key, name, address, origin, sources] of db.prepare('SELECT id, key, name, address, origin, sources FROM groups').raw().iterate() as Iterable<GroupRow>) {
    groupKey.set(id, key)
    const aliases = aliasesByGroup.get(id)
    builder.addGroup({ key, name, address, origin, sources: sets.list(sources), ...(aliases ? { aliases } : {}) })
  }

  for (const [groupId, userId, sources] of db.prepare('SELECT group_id, user_id, sources FROM memberships').raw().iterate() as Iterable<[number, number, number]>) {
    builder.addMember(groupKey.get(groupId) ?? '', userAddress.get(userId) ?? '', sets.list(sources))
  }
  return builder.build()
}
