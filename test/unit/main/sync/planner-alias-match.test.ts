import { describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SETTINGS } from '../../../../shared/domain/account.ts'
import { DEFAULT_POLICY } from '../../../../shared/domain/integration-policy.ts'
import { AccountStateBuilder } from '../../../../main/model/account-state.ts'
import type { AccountState, PlanIntegration } from '../../../../main/model/plan-types.ts'
import { planSync } from '../../../../main/sync/planner.ts'

const now = new Date('2026-11-27T12:00:00Z')

function integration(id: string, users: Array<{ id: string; primary: string; aliases?: string[] }>, groups: Array<{ id: string; address: string; members: string[] }> = []): PlanIntegration {
  return {
    id,
    name: id,
    status: 'ok',
    statusSince: now.toISOString(),
    statusReason: null,
    policy: DEFAULT_POLICY,
    deleted: false,
    snapshot: {
      users: users.map((u) => ({ externalId: u.id, primaryAddress: u.primary, aliases: u.aliases ?? [], displayName: u.primary, enabled: true, attributes: {} })),
      groups: groups.map((g) => ({ externalId: g.id, name: g.address, address: g.address, memberIds: g.members })),
    },
  }
}

function accountWith(users: Array<{ primary: string; aliases?: string[]; sources: string[] }>, memberships: Array<[string, string, string[]]> = []): AccountState {
  const builder = new AccountStateBuilder()
  for (const u of users) {
    const addresses = [{ address: u.primary, type: 'directory' as const, primary: true }, ...(u.aliases ?? []).map((a) => ({ address: a, type: 'directory' as const, primary: false }))]
    builder.addUser({ address: u.primary, displayName: u.primary, status: 'active', deletedAt: null, deletedBy: [], attributes: {}, sources: u.sources, addresses })
  }
  for (const [g, , s] of memberships) builder.addGroup({ key: g, name: g, address: g, origin: 'directory', sources: s })
  for (const [g, u, s] of memberships) builder.addMember(g, u, s)
  return builder.build()
}

describe('the planner, when a directory presents an account user under a new primary', () => {
  // The old directory is gone (deleted); the new one calls the same person flast@ and keeps the
  // old primary as an alias.
  const account = accountWith([{ primary: 'first.last@example.com', sources: ['old'] }], [['staff@example.com', 'first.last@example.com', ['old']]])
  const integrations: PlanIntegration[] = [
    { ...integration('old', []), deleted: true, snapshot: null },
    integration('new', [{ id: 'n1', primary: 'flast@example.com', aliases: ['first.last@example.com'] }], [{ id: 'g1', address: 'staff@example.com', members: ['n1'] }]),
  ]
  const plan = planSync({ now, settings: DEFAULT_ACCOUNT_SETTINGS, integrations, account })

  it('matches the account user through the alias instead of demoting it and creating another', () => {
    expect(plan.actions.map((a) => a.kind)).not.toContain('demote-address')
    expect(plan.actions.map((a) => a.kind)).not.toContain('create-user')
  })

  it('adds the new primary to the existing account user as an address', () => {
    expect(plan.actions).toContainEqual(expect.objectContaining({ kind: 'add-address', target: 'first.last@example.com', addresses: ['flast@example.com'] }))
  })

  it('keeps the user in the group the new directory puts it in', () => {
    expect(plan.actions.map((a) => a.kind)).not.toContain('remove-member')
  })

  it('moves the user\'s backing to the new integration', () => {
    expect(plan.links.users).toContainEqual(['first.last@example.com', ['new']])
  })
})
