import type { AccountSettings } from '../../shared/domain/account.ts'
import { addressScopeReason, normalizeAddress } from './address-scope.ts'
import { buildDesiredGroups, type DesiredGroup } from './desired-groups.ts'
import type { IgnoredAddress, PlanIntegration } from './plan-types.ts'
import { SnapshotRowKeys } from './snapshot-row-keys.ts'
import { SourceSets } from './source-set.ts'

export type { DesiredGroup } from './desired-groups.ts'

export interface DesiredUser {
  readonly address: string
  readonly displayName: string
  /** The first presenting snapshot's object, shared rather than copied (never modified). */
  readonly attributes: Readonly<Record<string, string>>
  /** Integrations that back the user. */
  sources: number
  /** Sources that say "enabled" (or do not acknowledge disabled accounts). */
  enabledVotes: number
  /** Sources that acknowledge disabled accounts and say "disabled". */
  disabledVotes: number
  /**
   * The addresses in the order they were first presented, the primary first. An array, not a
   * Map: most users have one or two. (Which source presents which address is not kept: no
   * action depends on it, and a million small arrays of masks cost more than the whole diff.)
   */
  readonly addresses: string[]
  /** The user this one was folded into (see `fold`), or -1 while it stands on its own. */
  foldedInto: number
}

export interface DesiredState {
  readonly sets: SourceSets
  /** Numbered in the order first seen; a folded user keeps its slot (`foldedInto` ≥ 0) so numbers stay valid. */
  readonly users: readonly DesiredUser[]
  /** Every desired address → the number of the (unfolded) user that holds it. */
  readonly userByAddress: ReadonlyMap<string, number>
  readonly groups: ReadonlyMap<string, DesiredGroup>
  readonly ignored: IgnoredAddress[]
  readonly conflicts: string[]
}

/** Whether the user stands on its own (was not folded into another). */
export function isLive(user: DesiredUser): boolean {
  return user.foldedInto < 0
}

function addAddress(user: DesiredUser, address: string): void {
  if (!user.addresses.includes(address)) user.addresses.push(address)
}

/**
 * The union of every live integration's latest snapshot. Primaries are claimed first (in
 * integration-id order), then aliases, so the outcome does not depend on read order; an address
 * claimed by two different users is a conflict, reported and given to its first claimant.
 */
export function buildDesiredState(integrations: readonly PlanIntegration[], settings: AccountSettings): DesiredState {
  const live = integrations.filter((i) => !i.deleted && i.snapshot).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const sets = new SourceSets(live.map((i) => i.id))
  const users: DesiredUser[] = []
  const userByAddress = new Map<string, number>()
  const ignored: IgnoredAddress[] = []
  const conflicts: string[] = []
  // Per integration: snapshot row → the desired user it was filed under.
  const rowKeys = live.map((integration) => new SnapshotRowKeys(integration.snapshot ?? { users: [], groups: [] }))

  live.forEach((integration, index) => {
    const bit = sets.bit(index)
    const keys = rowKeys[index] as SnapshotRowKeys
    integration.snapshot?.users.forEach((user, row) => {
      const primary = normalizeAddress(user.primaryAddress)
      const why = addressScopeReason(primary, settings.internalDomains, integration.policy.domains)
      if (why) {
        ignored.push({ address: primary, integrationId: integration.id, reason: why })
        return
      }
      let number = userByAddress.get(primary)
      const owner = number === undefined ? undefined : users[number]
      if (owner && owner.address !== primary) {
        conflicts.push(`${primary} is the primary address of a user in ${integration.name} and an alias of ${owner.address}; kept on ${owner.address}.`)
        return
      }
      let desired = owner
      if (!desired || number === undefined) {
        number = users.length
        desired = { address: primary, displayName: user.displayName, attributes: user.attributes, sources: 0, enabledVotes: 0, disabledVotes: 0, addresses: [primary], foldedInto: -1 }
        users.push(desired)
        userByAddress.set(primary, number)
      }
      desired.sources |= bit
      if (!user.enabled && integration.policy.acknowledgeDisabledAccounts) desired.disabledVotes |= bit
      else desired.enabledVotes |= bit
      keys.file(row, user.externalId, number)
    })
  })

  // Users folded into another because two directories describe the same person with primary and
  // alias swapped (a migration window): follow `foldedInto` to the user that stands.
  const resolve = (number: number): number => {
    let key = number
    for (let next = users[key]?.foldedInto ?? -1; next >= 0; next = users[key]?.foldedInto ?? -1) key = next
    return key
  }

  live.forEach((integration, index) => {
    const keys = rowKeys[index] as SnapshotRowKeys
    integration.snapshot?.users.forEach((user, row) => {
      if (user.aliases.length === 0) return
      const filed = keys.ofRow(row, user.externalId)
      if (filed < 0) return
      const own = (users[filed] as DesiredUser).address
      let number = resolve(filed)
      let desired = users[number] as DesiredUser
      for (const raw of user.aliases) {
        const alias = normalizeAddress(raw)
        if (alias === desired.address) continue
        const why = addressScopeReason(alias, settings.internalDomains, integration.policy.domains)
        if (why) {
          ignored.push({ address: alias, integrationId: integration.id, reason: why })
          continue
        }
        const ownerNumber = userByAddress.get(alias)
        const owner = ownerNumber === undefined ? undefined : users[ownerNumber]
        if (owner && ownerNumber !== undefined && ownerNumber !== number && owner.address === alias && (owner.sources & desired.sources) === 0) {
          // Another directory's user has this alias as its primary, and no directory presents both:
          // the same person, seen by two directories (old primary = new alias, or the reverse).
          fold(number, ownerNumber)
          number = ownerNumber
          desired = owner
          conflicts.push(`${alias} is the primary address in one directory and an alias of ${own} in ${integration.name}: treated as one person.`)
          continue
        }
        if (owner && ownerNumber !== number) {
          conflicts.push(`${alias} is an alias of ${own} in ${integration.name} but already belongs to ${owner.address}; kept on ${owner.address}.`)
          continue
        }
        userByAddress.set(alias, number)
        addAddress(desired, alias)
      }
    })
  })

  /** Moves everything of `from` onto `into`; `from`'s primary becomes one of `into`'s addresses. */
  function fold(fromNumber: number, intoNumber: number): void {
    const from = users[fromNumber] as DesiredUser
    const into = users[intoNumber] as DesiredUser
    for (const address of from.addresses) {
      addAddress(into, address)
      userByAddress.set(address, intoNumber)
    }
    into.sources |= from.sources
    into.enabledVotes |= from.enabledVotes
    into.disabledVotes |= from.disabledVotes
    from.foldedInto = intoNumber
  }

  const groups = buildDesiredGroups(live, sets, rowKeys, resolve, users.length)
  return { sets, users, userByAddress, groups, ignored, conflicts }
}
