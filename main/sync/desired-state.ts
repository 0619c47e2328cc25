import type { AccountSettings } from '../../shared/domain/account.ts'
import { addressScopeReason } from './address-scope.ts'
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
      const primary = user.primaryAddress.toLowerCase()
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

  live.forEach((integration, index) => {
    const bit = sets.bit(index)
    const keys = userKeyByExternalId[index] ?? new Map<string, string>()
    for (const user of integration.snapshot?.users ?? []) {
      const primary = keys.get(user.externalId)
      if (primary === undefined) continue
      const desired = users.get(primary)
      if (!desired) continue
      for (const raw of user.aliases) {
        const alias = raw.toLowerCase()
        if (alias === primary) continue
        const why = addressScopeReason(alias, settings.internalDomains, integration.policy.domains)
        if (why) {
          ignored.push({ address: alias, integrationId: integration.id, reason: why })
          continue
        }
        const owner = addressOwner.get(alias)
        if (owner !== undefined && owner !== primary) {
          conflicts.push(`${alias} is an alias of ${primary} in ${integration.name} but already belongs to ${owner}; kept on ${owner}.`)
          continue
        }
        addressOwner.set(alias, primary)
        desired.addresses.set(alias, (desired.addresses.get(alias) ?? 0) | bit)
      }
    }

    for (const group of integration.snapshot?.groups ?? []) {
      const address = group.address ? group.address.toLowerCase() : null
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
        const member = keys.get(memberId)
        if (member === undefined) continue
        desired.members.set(member, (desired.members.get(member) ?? 0) | bit)
      }
    }
  })

  return { sets, users, addressOwner, groups, ignored, conflicts }
}
