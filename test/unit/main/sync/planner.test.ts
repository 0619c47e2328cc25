import { describe, expect, it } from 'vitest'
import { ACTION_KINDS, type SyncAction } from '../../../../shared/domain/sync-action.ts'
import { compareActions } from '../../../../shared/domain/action-order.ts'
import type { PlanInput } from '../../../../main/model/plan-types.ts'
import { planSync } from '../../../../main/sync/planner.ts'
import { account, dirGroup, dirUser, integration, NOW, planInput } from '../../../helpers/plan-fixtures.ts'

/** "kind target[/member][ addresses] ← integrations": one line per action, easy to compare in a table. */
function lines(input: PlanInput): string[] {
  return planSync(input).actions.map(line)
}
function line(a: SyncAction): string {
  return `${a.kind} ${a.target}${a.member ? `/${a.member}` : ''}${a.addresses ? ` [${a.addresses.join(',')}]` : ''} ← ${a.integrationIds.join('+')}`
}

const ann = dirUser('ann')
const bob = dirUser('bob')
const annAccount = { address: 'ann@example.org', sources: ['a'] }

describe('planSync: desired state = union of the latest snapshots, diffed into the closed set of actions', () => {
  const cases: ReadonlyArray<readonly [string, PlanInput, readonly string[]]> = [
    ['an empty account and one snapshot → create the users, the group and its members', planInput([integration('a', { users: [ann, bob], groups: [dirGroup('staff', ['ann'])] })]), [
      'create-group staff@example.org ← a',
      'create-user ann@example.org [ann@example.org] ← a',
      'create-user bob@example.org [bob@example.org] ← a',
      'add-member staff@example.org/ann@example.org ← a',
    ]],
    ['the account equals the snapshot → no action', planInput([integration('a', { users: [ann], groups: [] })], account({ users: [annAccount] })), []],
    ['a user in two snapshots is created once, attributed to both', planInput([integration('b', { users: [ann], groups: [] }), integration('a', { users: [ann], groups: [] })]), ['create-user ann@example.org [ann@example.org] ← a+b']],
    ['a new alias → add address; a transit address back in the directory → promote; a manual one too', planInput(
      [integration('a', { users: [dirUser('ann', { aliases: ['a1@example.org', 'a2@example.org', 'a3@example.org'] })], groups: [] })],
      account({ users: [{ ...annAccount, addresses: { 'a2@example.org': 'transit', 'a3@example.org': 'manual' } }] }),
    ), ['add-address ann@example.org [a1@example.org] ← a', 'promote-address ann@example.org [a2@example.org] ← a', 'promote-address ann@example.org [a3@example.org] ← a']],
    ['an alias gone from the directory → demote that address (directory → transit); manual addresses stay', planInput(
      [integration('a', { users: [ann], groups: [] })],
      account({ users: [{ ...annAccount, addresses: { 'old@example.org': 'directory', 'mine@example.org': 'manual' } }] }),
    ), ['demote-address ann@example.org [old@example.org] ← a']],
    ['a display name or attribute change → update user', planInput(
      [integration('a', { users: [dirUser('ann', { displayName: 'Ann A', attributes: { title: 'CTO' } })], groups: [] })],
      account({ users: [annAccount] }),
    ), ['update-user ann@example.org ← a']],
    ['a user removed from the directory → demoted by default, never deleted', planInput([integration('a', { users: [bob], groups: [] })], account({ users: [annAccount, { address: 'bob@example.org', sources: ['a'] }] })), [
      'demote-address ann@example.org [ann@example.org] ← a',
    ]],
    ['with "delete users" → delete user', planInput([integration('a', { users: [bob], groups: [] }, { policy: { deleteUsers: true } })], account({ users: [annAccount, { address: 'bob@example.org', sources: ['a'] }] })), [
      'delete-user ann@example.org ← a',
    ]],
    ['a user lost by two integrations is deleted only if both ask for it; otherwise demoted', planInput(
      [integration('a', { users: [bob], groups: [] }, { policy: { deleteUsers: true } }), integration('b', { users: [bob], groups: [] })],
      account({ users: [{ address: 'ann@example.org', sources: ['a', 'b'] }, { address: 'bob@example.org', sources: ['a', 'b'] }] }),
    ), ['demote-address ann@example.org [ann@example.org] ← a+b']],
    ['a user backed by two integrations and removed from one → no destructive action (sources change only)', planInput(
      [integration('a', { users: [ann], groups: [] }), integration('b', { users: [bob], groups: [] })],
      account({ users: [{ address: 'ann@example.org', sources: ['a', 'b'] }, { address: 'bob@example.org', sources: ['b'] }] }),
    ), []],
    ['a disabled integration still contributes its last snapshot: its users are not demoted', planInput([integration('a', { users: [ann], groups: [] }, { status: 'disabled' })], account({ users: [annAccount] })), []],
    ['an integration in error still contributes its last good snapshot', planInput([integration('a', { users: [ann], groups: [] }, { status: 'error' })], account({ users: [annAccount] })), []],
    ['a deleted integration contributes nothing: its users are demoted, attributed to it', planInput([integration('a', null, { deleted: true })], account({ users: [annAccount] })), ['demote-address ann@example.org [ann@example.org] ← a']],
    ['a member removed from a group → remove member, attributed to the membership\'s sources', planInput(
      [integration('a', { users: [ann, bob], groups: [dirGroup('staff', ['ann'])] })],
      account({ users: [annAccount, { address: 'bob@example.org', sources: ['a'] }], groups: [{ key: 'staff@example.org', sources: ['a'] }], memberships: [['staff@example.org', 'ann@example.org', ['a']], ['staff@example.org', 'bob@example.org', ['a']]] }),
    ), ['remove-member staff@example.org/bob@example.org ← a']],
    ['a member added by hand (no sources) is left alone; a manual group is never deleted', planInput(
      [integration('a', { users: [ann], groups: [] })],
      account({ users: [annAccount], groups: [{ key: 'club@example.org', origin: 'manual', sources: [] }], memberships: [['club@example.org', 'ann@example.org', []]] }),
    ), []],
    ['a directory group gone from every snapshot → delete group', planInput(
      [integration('a', { users: [ann], groups: [] })],
      account({ users: [annAccount], groups: [{ key: 'staff@example.org', sources: ['a'] }], memberships: [['staff@example.org', 'ann@example.org', ['a']]] }),
    ), ['delete-group staff@example.org ← a']],
    ['a renamed group → update group', planInput([integration('a', { users: [], groups: [{ ...dirGroup('staff', []), name: 'Staff' }] })], account({ groups: [{ key: 'staff@example.org', name: 'staff', sources: ['a'] }] })), [
      'update-group staff@example.org ← a',
    ]],
    ['groups without an address are per integration; with one, shared across integrations', planInput([
      integration('a', { users: [ann], groups: [dirGroup('g', ['ann'], null), dirGroup('s', ['ann'])] }),
      integration('b', { users: [ann], groups: [dirGroup('g', ['ann'], null), dirGroup('s', ['ann'])] }),
    ]), [
      'create-group a:g ← a',
      'create-group b:g ← b',
      'create-group s@example.org ← a+b',
      'create-user ann@example.org [ann@example.org] ← a+b',
      'add-member a:g/ann@example.org ← a',
      'add-member b:g/ann@example.org ← b',
      'add-member s@example.org/ann@example.org ← a+b',
    ]],
  ]
  it.each(cases)('%s', (_name, input, expected) => {
    expect(lines(input)).toEqual(expected)
  })
})

describe('planSync: removal policy over time (clock injected)', () => {
  const deleted = { address: 'ann@example.org', sources: [] as string[], status: 'deleted' as const, deletedAt: '2025-03-01T08:00:00.000Z', deletedBy: ['a'] }
  const cases: ReadonlyArray<readonly [string, number, string, readonly string[]]> = [
    ['29 days after a soft delete (retention 30) → kept', 30, '2025-03-30T08:00:00.000Z', []],
    ['30 days after a soft delete (retention 30) → purged, attributed to the deleting integration', 30, '2025-03-31T08:00:00.000Z', ['purge-user ann@example.org ← a']],
    ['retention 0 → purged at the next run', 0, '2025-03-01T08:00:00.000Z', ['purge-user ann@example.org ← a']],
  ]
  it.each(cases)('%s', (_name, retentionDays, now, expected) => {
    expect(lines(planInput([integration('a', { users: [bob], groups: [] }, { policy: { deleteUsers: true } })], account({ users: [deleted, { address: 'bob@example.org', sources: ['a'] }] }), { retentionDays }, new Date(now)))).toEqual(expected)
  })

  it('a soft-deleted user back in the directory is restored (enable-user), not created again', () => {
    expect(lines(planInput([integration('a', { users: [ann], groups: [] })], account({ users: [deleted] })))).toEqual(['enable-user ann@example.org ← a'])
  })
})

describe('planSync: acknowledge disabled accounts', () => {
  const disabledAnn = dirUser('ann', { enabled: false })
  const cases: ReadonlyArray<readonly [string, boolean, 'active' | 'disabled', readonly string[]]> = [
    ['on: a user disabled in the directory is disabled', true, 'active', ['disable-user ann@example.org ← a']],
    ['off: a user disabled in the directory stays active', false, 'active', []],
    ['off: a user disabled in the account is re-enabled', false, 'disabled', ['enable-user ann@example.org ← a']],
    ['on: an already disabled user → nothing', true, 'disabled', []],
  ]
  it.each(cases)('%s', (_name, acknowledge, status, expected) => {
    expect(lines(planInput([integration('a', { users: [disabledAnn], groups: [] }, { policy: { acknowledgeDisabledAccounts: acknowledge } })], account({ users: [{ ...annAccount, status }] })))).toEqual(expected)
  })

  it('a disabled user enabled again in the directory is re-enabled', () => {
    expect(lines(planInput([integration('a', { users: [ann], groups: [] })], account({ users: [{ ...annAccount, status: 'disabled' }] })))).toEqual(['enable-user ann@example.org ← a'])
  })

  it('a new user disabled in the directory is created disabled', () => {
    const [create] = planSync(planInput([integration('a', { users: [disabledAnn], groups: [] })])).actions
    expect(create?.payload?.['status']).toBe('disabled')
  })
})

describe('planSync: internal domains', () => {
  const partner = dirUser('zed', { primaryAddress: 'zed@partner.test' })
  const annWithAlias = dirUser('ann', { aliases: ['ann@partner.test'] })

  it('addresses outside the internal domains are ignored and reported, with the integration and the reason', () => {
    const plan = planSync(planInput([integration('a', { users: [annWithAlias, partner], groups: [] })], account(), { internalDomains: ['example.org'] }))
    expect(plan.actions.map(line)).toEqual(['create-user ann@example.org [ann@example.org] ← a'])
    expect(plan.ignored).toEqual([
      { address: 'zed@partner.test', integrationId: 'a', reason: 'domain partner.test is not an internal domain of the account' },
      { address: 'ann@partner.test', integrationId: 'a', reason: 'domain partner.test is not an internal domain of the account' },
    ])
  })

  it('without internal domains every domain counts', () => {
    const plan = planSync(planInput([integration('a', { users: [annWithAlias, partner], groups: [] })]))
    expect(plan.actions.map(line)).toEqual(['create-user ann@example.org [ann@example.org,ann@partner.test] ← a', 'create-user zed@partner.test [zed@partner.test] ← a'])
    expect(plan.ignored).toEqual([])
  })

  it('subdomains are not the domain (mail.example.org is not example.org)', () => {
    const plan = planSync(planInput([integration('a', { users: [dirUser('sub', { primaryAddress: 'sub@mail.example.org' })], groups: [] })], account(), { internalDomains: ['example.org'] }))
    expect(plan.actions).toEqual([])
    expect(plan.ignored.map((i) => i.address)).toEqual(['sub@mail.example.org'])
  })
})

describe('planSync: conflicts', () => {
  it('an address claimed by two users goes to its first claimant (integration-id order) and is reported', () => {
    const plan = planSync(planInput([
      integration('b', { users: [dirUser('bob', { aliases: ['shared@example.org'] })], groups: [] }),
      integration('a', { users: [dirUser('ann', { aliases: ['shared@example.org'] })], groups: [] }),
    ]))
    expect(plan.actions.map(line)).toEqual(['create-user ann@example.org [ann@example.org,shared@example.org] ← a', 'create-user bob@example.org [bob@example.org] ← b'])
    expect(plan.conflicts).toEqual(['shared@example.org is an alias of bob@example.org in B but already belongs to ann@example.org; kept on ann@example.org.'])
  })
})

describe('planSync: determinism', () => {
  const snapshotA = { users: [ann, bob, dirUser('cid', { aliases: ['c@example.org'] }), dirUser('dan', { enabled: false })], groups: [dirGroup('staff', ['ann', 'cid']), dirGroup('ops', ['bob'], null)] }
  const snapshotB = { users: [dirUser('eve'), ann], groups: [dirGroup('staff', ['eve', 'ann'])] }
  const state = account({
    users: [{ address: 'old@example.org', sources: ['a'] }, { address: 'bob@example.org', sources: ['a'], displayName: 'Robert' }, { address: 'gone@example.org', sources: ['b'], status: 'deleted', deletedAt: '2024-01-01T00:00:00.000Z', deletedBy: ['b'] }],
    groups: [{ key: 'staff@example.org', sources: ['a'] }, { key: 'legacy@example.org', sources: ['a'] }],
    memberships: [['staff@example.org', 'bob@example.org', ['a']], ['legacy@example.org', 'bob@example.org', ['a']]],
  })
  const input = planInput([integration('a', snapshotA), integration('b', snapshotB)], state)

  it('the same input gives an identical plan', () => {
    expect(planSync(input)).toEqual(planSync(input))
  })

  it('the actions are sorted (creates, adds, updates, removals, deletions; then by target)', () => {
    const actions = planSync(input).actions
    expect(actions.length).toBeGreaterThan(8)
    expect([...actions].sort(compareActions)).toEqual(actions)
    expect(actions.every((a) => (ACTION_KINDS as readonly string[]).includes(a.kind))).toBe(true)
  })

  it('the order of integrations and of objects inside snapshots does not change the actions', () => {
    const reversed = planInput([
      integration('b', { users: [...snapshotB.users].reverse(), groups: [...snapshotB.groups].reverse() }),
      integration('a', { users: [...snapshotA.users].reverse(), groups: [...snapshotA.groups].reverse().map((g) => ({ ...g, memberIds: [...g.memberIds].reverse() })) }),
    ], state)
    expect(planSync(reversed).actions).toEqual(planSync(input).actions)
  })

  it('action ids are stable across runs (another day, same change → same id) and unique within a plan', () => {
    const today = planSync(input).actions.map((a) => a.id)
    const tomorrow = planSync({ ...input, now: new Date(NOW.getTime() + 86_400_000) }).actions.map((a) => a.id)
    expect(tomorrow).toEqual(today)
    expect(new Set(today).size).toBe(today.length)
    expect(today).toEqual(expect.arrayContaining(['remove-member:staff@example.org:bob@example.org', 'delete-group:legacy@example.org', 'purge-user:gone@example.org']))
  })
})
