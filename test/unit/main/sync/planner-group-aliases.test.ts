import { describe, expect, it } from 'vitest'
import { planSync } from '../../../../main/sync/planner.ts'
import { gateActions } from '../../../../main/sync/gate.ts'
import { AccountStateBuilder } from '../../../../main/model/account-state.ts'
import type { AccountState, PlanIntegration } from '../../../../main/model/plan-types.ts'
import type { DirectoryGroup } from '../../../../shared/domain/directory-snapshot.ts'
import { isDestructiveKind } from '../../../../shared/domain/sync-action.ts'
import { dirUser, integration, NOW, planInput } from '../../../helpers/plan-fixtures.ts'

/** Issue 17: a group's alias addresses reach the account's groups, so mail to an alias is the group's. */

const ann = dirUser('ann')

function sales(aliases: readonly string[] | undefined): DirectoryGroup {
  return { externalId: 'g-sales', name: 'Sales', address: 'sales@example.org', ...(aliases ? { aliases } : {}), memberIds: ['ann'] }
}

/** The account after a sync of `aliases`: Ann, and Sales with those aliases, backed by `sources`. */
function accountWithSales(aliases: readonly string[], sources: readonly string[] = ['a']): AccountState {
  const builder = new AccountStateBuilder()
  builder.addUser({ address: 'ann@example.org', displayName: 'ann', status: 'active', deletedAt: null, deletedBy: [], attributes: {}, sources, addresses: [{ address: 'ann@example.org', type: 'directory', primary: true }] })
  builder.addGroup({ key: 'sales@example.org', name: 'Sales', address: 'sales@example.org', aliases, origin: 'directory', sources })
  builder.addMember('sales@example.org', 'ann@example.org', sources)
  return builder.build()
}

function plan(integrations: readonly PlanIntegration[], account: AccountState = accountWithSales([])) {
  return planSync(planInput(integrations, account)).actions.filter((a) => a.kind.includes('group'))
}

describe('planSync: group aliases', () => {
  it('creates a group with the aliases of every directory that lists it, normalised, each once, sorted, without its own address', () => {
    const a = integration('a', { users: [ann], groups: [sales(['Sales-Team@Example.org', 'sales@example.org'])] })
    const b = integration('b', { users: [ann], groups: [sales(['orders@example.org', 'sales-team@example.org'])] })
    const [create] = plan([a, b], new AccountStateBuilder().build())
    expect(create).toMatchObject({ kind: 'create-group', target: 'sales@example.org', payload: { aliases: ['orders@example.org', 'sales-team@example.org'] } })
  })

  it('adds an alias a directory now lists, as one non-destructive action for the group', () => {
    const actions = plan([integration('a', { users: [ann], groups: [sales(['orders@example.org', 'sales-team@example.org'])] })], accountWithSales(['orders@example.org']))
    expect(actions).toEqual([expect.objectContaining({ kind: 'add-group-alias', target: 'sales@example.org', addresses: ['sales-team@example.org'], integrationIds: ['a'] })])
    expect(isDestructiveKind('add-group-alias')).toBe(false)
  })

  it('removes an alias no directory lists any more: destructive, attributed to the integrations that backed the group', () => {
    const actions = plan([integration('a', { users: [ann], groups: [sales(undefined)] })], accountWithSales(['orders@example.org']))
    expect(actions).toEqual([expect.objectContaining({ kind: 'remove-group-alias', target: 'sales@example.org', addresses: ['orders@example.org'], integrationIds: ['a'], detail: 'Sales: orders@example.org no longer an alias in A' })])
    expect(isDestructiveKind('remove-group-alias')).toBe(true)
  })

  it('plans nothing when the aliases already match', () => {
    expect(plan([integration('a', { users: [ann], groups: [sales(['orders@example.org'])] })], accountWithSales(['orders@example.org']))).toEqual([])
  })

  it('holds an alias removal while another integration is disabled, as it holds an address downgrade, and still adds aliases', () => {
    const a = integration('a', { users: [ann], groups: [sales(['new@example.org'])] })
    const b = integration('b', null, { status: 'disabled', since: '2025-02-20T00:00:00.000Z' })
    const integrations = [a, b]
    const actions = planSync(planInput(integrations, accountWithSales(['old@example.org']))).actions
    const verdict = gateActions({ actions, integrations, approved: new Set(), heldSince: new Map(), now: NOW })
    expect(verdict.held.map((h) => `${h.kind} ${h.addresses?.join(',')}`)).toEqual(['remove-group-alias old@example.org'])
    expect(verdict.held[0]).toMatchObject({ reason: 'blocked', blockingIntegrationIds: ['b'] })
    expect(verdict.apply.toArray().map((h) => `${h.kind} ${h.addresses?.join(',')}`)).toEqual(['add-group-alias new@example.org'])
  })
})
