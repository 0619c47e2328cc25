import type { AccountSettings } from '../../shared/domain/account.ts'
import { normalizedAddress } from '../directory-rules/email-address.ts'
import { scopeCheck } from './scope-check.ts'
import { buildDesiredGroups, type DesiredGroup, type DesiredMembers } from './desired-groups.ts'
import { DesiredAddresses } from './desired-addresses.ts'
import type { AccountState, IgnoredAddress, PlanIntegration } from '../model/plan-types.ts'
import { SnapshotRowKeys } from './snapshot-row-keys.ts'
import { SourceSets } from './source-set.ts'
import { DesiredUsers } from './desired-users.ts'

export type { DesiredGroup } from './desired-groups.ts'

export interface DesiredState {
  readonly sets: SourceSets
  /** Numbered in the order first seen; a folded user keeps its number (see DesiredUsers). */
  readonly users: DesiredUsers
  /** Desired user number → the account user whose primary is its primary, or -1 (found while building, for matchUsers). */
  readonly accountOfPrimary: Int32Array
  readonly groups: ReadonlyMap<string, DesiredGroup>
  readonly members: DesiredMembers
  readonly ignored: IgnoredAddress[]
  readonly conflicts: string[]
}

/**
 * The union of every live integration's latest snapshot. Primaries are claimed first (in
 * integration-id order), then aliases, so the outcome does not depend on read order; an address
 * claimed by two different users is a conflict, reported and given to its first claimant.
 */
export function buildDesiredState(integrations: readonly PlanIntegration[], settings: AccountSettings, account: AccountState): DesiredState {
  const live = integrations.filter((i) => !i.deleted && i.snapshot).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const sets = new SourceSets(live.map((i) => i.id))
  const capacity = live.reduce((n, i) => n + (i.snapshot?.users.length ?? 0), 0)
  const users = new DesiredUsers(capacity)
  const accountOfPrimary = new Int32Array(capacity).fill(-1)
  // Every desired address → the number of the (unfolded) user that holds it.
  const userByAddress = new DesiredAddresses(account)
  const ignored: IgnoredAddress[] = []
  const conflicts: string[] = []
  // Per integration: snapshot row → the desired user it was filed under.
  const rowKeys = live.map((integration) => new SnapshotRowKeys(integration.snapshot ?? { users: [], groups: [] }))

  live.forEach((integration, index) => {
    const bit = sets.bit(index)
    const keys = rowKeys[index] as SnapshotRowKeys
    const outOfScope = scopeCheck(settings.internalDomains, integration.policy.domains)
    integration.snapshot?.users.forEach((user, row) => {
      const primary = normalizedAddress(user.primaryAddress)
      const why = outOfScope(primary)
      if (why) {
        ignored.push({ address: primary, integrationId: integration.id, reason: why })
        return
      }
      const at = userByAddress.locate(primary)
      let number = userByAddress.get(primary, at)
      const owner = number === undefined ? undefined : users.primary[number]
      if (owner !== undefined && owner !== primary) {
        conflicts.push(`${primary} is the primary address of a user in ${integration.name} and an alias of ${owner}; kept on ${owner}.`)
        return
      }
      if (number === undefined) {
        number = users.add(primary, user)
        userByAddress.set(primary, number, at)
        accountOfPrimary[number] = at
      }
      const again = ((users.sources[number] ?? 0) & bit) !== 0
      users.present(number, bit, !user.enabled && integration.policy.acknowledgeDisabledAccounts)
      keys.file(row, user.externalId, number, again)
    })
  })

  live.forEach((integration, index) => {
    const keys = rowKeys[index] as SnapshotRowKeys
    const outOfScope = scopeCheck(settings.internalDomains, integration.policy.domains)
    integration.snapshot?.users.forEach((user, row) => {
      if (user.aliases.length === 0) return
      const filed = keys.ofRow(row, user.externalId)
      if (filed < 0) return
      const own = users.primary[filed] ?? ''
      let number = users.resolve(filed)
      for (const raw of user.aliases) {
        const alias = normalizedAddress(raw)
        if (alias === users.primary[number]) continue
        const why = outOfScope(alias)
        if (why) {
          ignored.push({ address: alias, integrationId: integration.id, reason: why })
          continue
        }
        const ownerNumber = userByAddress.get(alias)
        const owner = ownerNumber === undefined ? undefined : users.primary[ownerNumber]
        if (owner !== undefined && ownerNumber !== undefined && ownerNumber !== number && owner === alias && ((users.sources[ownerNumber] ?? 0) & (users.sources[number] ?? 0)) === 0) {
          // Another directory's user has this alias as its primary, and no directory presents both:
          // the same person, seen by two directories (old primary = new alias, or the reverse).
          fold(number, ownerNumber)
          number = ownerNumber
          conflicts.push(`${alias} is the primary address in one directory and an alias of ${own} in ${integration.name}: treated as one person.`)
          continue
        }
        if (owner !== undefined && ownerNumber !== number) {
          conflicts.push(`${alias} is an alias of ${own} in ${integration.name} but already belongs to ${owner}; kept on ${owner}.`)
          continue
        }
        userByAddress.set(alias, number)
        users.addAddress(number, alias)
      }
    })
  })

  /** Moves everything of `from` onto `into`; `from`'s primary becomes one of `into`'s addresses. */
  function fold(from: number, into: number): void {
    for (const address of users.addresses(from)) userByAddress.set(address, into)
    users.fold(from, into)
  }

  const { groups, members } = buildDesiredGroups(live, sets, rowKeys, users)
  return { sets, users, accountOfPrimary, groups, members, ignored, conflicts }
}
