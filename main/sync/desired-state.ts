import type { AccountSettings } from '../../shared/domain/account.ts'
import { addressScopeReason, normalizeAddress } from './address-scope.ts'
import type { IgnoredAddress, PlanIntegration } from './plan-types.ts'
import { SourceSets } from './source-set.ts'

export interface DesiredUser {
  readonly address: string
  displayName: string
  attributes: Record<string, string>
  /** Integrations that back the user. */
  sources: number
  /** Sources that say "enabled" (or do not acknowledge disabled accounts). */
  enabledVotes: number
  /** Sources that acknowledge disabled accounts and say "disabled". */
  disabledVotes: number
  /** address → sources that present it (the primary included). */
  readonly addresses: Map<string, number>
}

export interface DesiredGroup {
  readonly key: string
  name: string
  address: string | null
  sources: number
  readonly members: Map<string, number>
}

export interface DesiredState {
  readonly sets: SourceSets
  readonly users: Map<string, DesiredUser>
  readonly addressOwner: Map<string, string>
  readonly groups: Map<string, DesiredGroup>
  readonly ignored: IgnoredAddress[]
  readonly conflicts: string[]
}

/**
 * The union of every live integration's latest snapshot. Primaries are claimed first (in
 * integration-id order), then aliases, so the outcome does not depend on read order; an address
 * claimed by two different users is a conflict, reported and given to its first claimant.
 */
export function buildDesiredState(integrations: readonly PlanIntegration[], settings: AccountSettings): DesiredState {
  const live = integrations.filter((i) => !i.deleted && i.snapshot).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const sets = new SourceSets(live.map((i) => i.id))
  const users = new Map<string, DesiredUser>()
  const addressOwner = new Map<string, string>()
  const groups = new Map<string, DesiredGroup>()
  const ignored: IgnoredAddress[] = []
  const conflicts: string[] = []
  // Per integration: externalId → the primary address the user was filed under.
  const userKeyByExternalId = live.map(() => new Map<string, string>())

  live.forEach((integration, index) => {
    const bit = sets.bit(index)
    const keys = userKeyByExternalId[index] ?? new Map<string, string>()
    for (const user of integration.snapshot?.users ?? []) {
      const primary = normalizeAddress(user.primaryAddress)
      const why = addressScopeReason(primary, settings.internalDomains, integration.policy.domains)
      if (why) {
        ignored.push({ address: primary, integrationId: integration.id, reason: why })
        continue
      }
      const owner = addressOwner.get(primary)
      if (owner !== undefined && owner !== primary) {
        conflicts.push(`${primary} is the primary address of a user in ${integration.name} and an alias of ${owner}; kept on ${owner}.`)
        continue
      }
      let desired = users.get(primary)
      if (!desired) {
        desired = { address: primary, displayName: user.displayName, attributes: { ...user.attributes }, sources: 0, enabledVotes: 0, disabledVotes: 0, addresses: new Map() }
        users.set(primary, desired)
        addressOwner.set(primary, primary)
      }
      desired.sources |= bit
      desired.addresses.set(primary, (desired.addresses.get(primary) ?? 0) | bit)
      if (!user.enabled && integration.policy.acknowledgeDisabledAccounts) desired.disabledVotes |= bit
      else desired.enabledVotes |= bit
      keys.set(user.externalId, primary)
    }
  })

  // Users folded into another because two directories describe the same person with primary and
  // alias swapped (a migration window): folded primary → the primary it was folded into.
  const foldedInto = new Map<string, string>()
  const resolveKey = (primary: string): string => {
    let key = primary
    for (let next = foldedInto.get(key); next !== undefined; next = foldedInto.get(key)) key = next
    return key
  }

  live.forEach((integration, index) => {
    const bit = sets.bit(index)
    const keys = userKeyByExternalId[index] ?? new Map<string, string>()
    for (const user of integration.snapshot?.users ?? []) {
      const own = keys.get(user.externalId)
      if (own === undefined) continue
      const primary = resolveKey(own)
      let desired = users.get(primary)
      if (!desired) continue
      for (const raw of user.aliases) {
        const alias = normalizeAddress(raw)
        if (alias === desired.address) continue
        const why = addressScopeReason(alias, settings.internalDomains, integration.policy.domains)
        if (why) {
          ignored.push({ address: alias, integrationId: integration.id, reason: why })
          continue
        }
        const owner = addressOwner.get(alias)
        const ownerUser = owner === undefined ? undefined : users.get(owner)
        if (owner !== undefined && owner !== desired.address && owner === alias && ownerUser && (ownerUser.sources & desired.sources) === 0) {
          // Another directory's user has this alias as its primary, and no directory presents both:
          // the same person, seen by two directories (old primary = new alias, or the reverse).
          fold(desired, ownerUser)
          desired = ownerUser
          conflicts.push(`${alias} is the primary address in one directory and an alias of ${own} in ${integration.name}: treated as one person.`)
          continue
        }
        if (owner !== undefined && owner !== desired.address) {
          conflicts.push(`${alias} is an alias of ${own} in ${integration.name} but already belongs to ${owner}; kept on ${owner}.`)
          continue
        }
        addressOwner.set(alias, desired.address)
        desired.addresses.set(alias, (desired.addresses.get(alias) ?? 0) | bit)
      }
    }
  })

  /** Moves everything of `from` onto `into`; `from`'s primary becomes one of `into`'s addresses. */
  function fold(from: DesiredUser, into: DesiredUser): void {
    for (const [address, mask] of from.addresses) {
      into.addresses.set(address, (into.addresses.get(address) ?? 0) | mask)
      addressOwner.set(address, into.address)
    }
    into.sources |= from.sources
    into.enabledVotes |= from.enabledVotes
    into.disabledVotes |= from.disabledVotes
    users.delete(from.address)
    foldedInto.set(from.address, into.address)
  }

  live.forEach((integration, index) => {
    const bit = sets.bit(index)
    const keys = userKeyByExternalId[index] ?? new Map<string, string>()
    for (const group of integration.snapshot?.groups ?? []) {
      const address = group.address ? normalizeAddress(group.address) : null
      // Groups with an address are one group across directories (that is what a migration needs);
      // groups without one are per integration.
      const key = address ?? `${integration.id}:${group.externalId}`
      let desired = groups.get(key)
      if (!desired) {
        desired = { key, name: group.name, address, sources: 0, members: new Map() }
        groups.set(key, desired)
      }
      desired.sources |= bit
      for (const memberId of group.memberIds) {
        const own = keys.get(memberId)
        if (own === undefined) continue
        const member = resolveKey(own)
        desired.members.set(member, (desired.members.get(member) ?? 0) | bit)
      }
    }
  })

  return { sets, users, addressOwner, groups, ignored, conflicts }
}
