import { rmSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { IntegrationPolicy } from '../../../../shared/domain/integration-policy.ts'
import { addressTypes, dumpAccount, members, userRow } from '../../../helpers/test-core.ts'
import { type Fixture, destructiveApplied, fixture, twoIntegrations, user, users } from './sync-rules-fixture.ts'

/** DESIGN.md §2 through the real core: the gate, the removal policy, thresholds and read validation. */

describe('the gate: while ANY integration is disabled or in error, EVERY destructive action of EVERY integration is held', () => {
  const blockers: ReadonlyArray<readonly [string, (f: Fixture, id: string) => void, RegExp]> = [
    ['disabled', (f, id) => void f.t.core.setEnabled(id, false), /Old AD \(disabled since 2025-03-01T09:00:00\.000Z\)/],
    ['in error (its LDIF file is malformed)', (f) => writeFileSync(f.path('Old AD'), 'this is not ldif\n'), /Old AD \(in error since 2025-03-01T10:00:00\.000Z\)/],
    ['in error (its LDIF file is missing)', (f) => rmSync(f.path('Old AD')), /Old AD \(in error since 2025-03-01T10:00:00\.000Z\)/],
  ]

  it.each(blockers)('A %s, a user removed from a group in B, Sync All → the membership is kept and the removal held, naming A and since when', async (_label, block, names) => {
    const f = fixture()
    const { oldAd } = await twoIntegrations(f)
    f.t.clock.set('2025-03-01T09:00:00.000Z')
    block(f, oldAd)
    f.write('New LDAP', { users: users('ann', 'bob'), groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann'] }] })
    f.t.clock.set('2025-03-01T10:00:00.000Z')
    const run = await f.t.core.runSync('all', 'manual')

    expect(members(f.t.db, 'staff@example.org')).toEqual(['ann@example.org', 'bob@example.org'])
    expect(run.held).toEqual({ 'remove-member': 1 })
    expect(run.outcome).not.toBe('success')
    const held = f.t.core.listHeld({}, 0, 100)
    expect(held.total).toBe(1)
    const action = held.actions[0]
    expect(action).toMatchObject({ kind: 'remove-member', target: 'staff@example.org', member: 'bob@example.org', reason: 'blocked', blockingIntegrationIds: [oldAd], heldSince: '2025-03-01T10:00:00.000Z' })
    expect(action?.reasonText).toMatch(names)
    expect(f.t.core.status().blockers.map((b) => b.name)).toEqual(['Old AD'])
  })

  it('a blocked action cannot be approved: one by one or by filter, the approval is refused with the reason, and the action stays held', async () => {
    const f = fixture()
    const { oldAd, newLdap } = await twoIntegrations(f)
    f.t.core.setEnabled(oldAd, false)
    f.write('New LDAP', { users: users('ann', 'bob'), groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann'] }] })
    await f.t.core.runSync('all', 'manual')
    const [held] = f.t.core.listHeld({}, 0, 10).actions
    if (!held) throw new Error('expected a held action')

    const byId = f.t.core.approve({ actionIds: [held.id] })
    expect(byId.approved).toBe(0)
    expect(byId.refused).toHaveLength(1)
    expect(byId.refused[0]?.reason).toMatch(/^Cannot be approved: .*Old AD \(disabled since/)
    const byFilter = f.t.core.approve({ integrationId: newLdap, kind: 'remove-member' })
    expect(byFilter.approved).toBe(0)
    expect(byFilter.refused.map((r) => r.actionId)).toEqual([held.id])
    expect(f.t.core.approvals(0, 10)).toEqual([])

    await f.t.core.runSync('all', 'manual')
    expect(members(f.t.db, 'staff@example.org')).toEqual(['ann@example.org', 'bob@example.org'])
  })

  it('held actions keep their id and "held since" across runs (a stable id is what an approval names)', async () => {
    const f = fixture()
    const { oldAd } = await twoIntegrations(f)
    f.t.core.setEnabled(oldAd, false)
    f.write('New LDAP', { users: users('ann', 'bob'), groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann'] }] })
    await f.t.core.runSync('all', 'manual')
    const first = f.t.core.listHeld({}, 0, 10).actions
    f.t.clock.advanceDays(1)
    await f.t.core.runSync('all', 'manual')
    const second = f.t.core.listHeld({}, 0, 10).actions
    expect(second.map((a) => a.id)).toEqual(first.map((a) => a.id))
    expect(second.map((a) => a.heldSince)).toEqual(first.map((a) => a.heldSince))
  })

  it('deleting the blocking integration (not leaving it disabled) ends the block: the held removal applies at the next run', async () => {
    const f = fixture()
    const { oldAd } = await twoIntegrations(f)
    f.t.core.setEnabled(oldAd, false)
    f.write('New LDAP', { users: users('ann', 'bob'), groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann'] }] })
    await f.t.core.runSync('all', 'manual')
    expect(f.t.core.listHeld({}, 0, 10).total).toBe(1)

    expect(f.t.core.deletePreview(oldAd).liftsBlock).toBe(true)
    await f.t.core.deleteIntegration(oldAd, 'Old AD')
    expect(f.t.core.status().blockers).toEqual([])
    const run = await f.t.core.runSync('all', 'manual')
    expect(run.outcome).toBe('success')
    expect(members(f.t.db, 'staff@example.org')).toEqual(['ann@example.org'])
    expect(f.t.core.listHeld({}, 0, 10).total).toBe(0)
    // And the deleted integration's own user was demoted, not deleted (its default policy).
    expect(addressTypes(f.t.db, 'dan@example.org')).toEqual({ 'dan@example.org': 'transit' })
  })

  it('non-destructive actions always apply, even while destructive ones are blocked', async () => {
    const f = fixture()
    const { oldAd } = await twoIntegrations(f)
    f.t.core.setEnabled(oldAd, false)
    f.write('New LDAP', {
      users: [user('ann', { displayName: 'Ann Anders', aliases: ['a.anders@example.org'] }), user('bob', { disabled: true }), user('cid')],
      groups: [
        { cn: 'staff', mail: 'staff@example.org', members: ['ann', 'cid'] },
        { cn: 'ops', mail: 'ops@example.org', members: ['cid'] },
      ],
    })
    const run = await f.t.core.runSync('all', 'manual')
    expect(run.applied).toEqual({ 'create-group': 1, 'create-user': 1, 'add-address': 1, 'update-user': 1, 'disable-user': 1, 'add-member': 2 })
    expect(run.held).toEqual({ 'remove-member': 1 })
    expect(userRow(f.t.db, 'ann@example.org')?.display_name).toBe('Ann Anders')
    expect(addressTypes(f.t.db, 'ann@example.org')).toEqual({ 'a.anders@example.org': 'directory', 'ann@example.org': 'directory' })
    expect(userRow(f.t.db, 'bob@example.org')?.status).toBe('disabled')
    expect(members(f.t.db, 'staff@example.org')).toEqual(['ann@example.org', 'bob@example.org', 'cid@example.org'])
    expect(members(f.t.db, 'ops@example.org')).toEqual(['cid@example.org'])
  })
})

describe('removal policy: a user removed from the directory is demoted by default; with "delete users" it is deleted, then purged after the retention', () => {
  it('by default, a user removed from the directory is demoted (directory → transit), not deleted', async () => {
    const f = fixture()
    const id = await f.add('HR', { users: [user('ann', { aliases: ['a@example.org'] }), user('bob')], groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann', 'bob'] }] })
    await f.t.core.runSync('all', 'manual')
    f.write('HR', { users: users('bob'), groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['bob'] }] })
    const run = await f.t.core.runSync('all', 'manual')
    expect(run.applied).toEqual({ 'demote-address': 1, 'remove-member': 1 })
    expect(userRow(f.t.db, 'ann@example.org')).toMatchObject({ status: 'active', sources: [], deleted_at: null })
    expect(addressTypes(f.t.db, 'ann@example.org')).toEqual({ 'a@example.org': 'transit', 'ann@example.org': 'transit' })
    expect(userRow(f.t.db, 'bob@example.org')?.sources).toEqual([id])
    // A demoted user is not demoted again at the next run.
    expect((await f.t.core.runSync('all', 'manual')).applied).toEqual({})
  })

  it('with "delete users", a removed user is soft-deleted, kept for the retention period, then purged — and the purge leaves an audit record', async () => {
    const f = fixture()
    const id = await f.add('HR', { users: users('ann', 'bob') }, { deleteUsers: true })
    await f.t.core.runSync('all', 'manual')
    f.write('HR', { users: users('bob') })
    f.t.clock.set('2025-03-02T08:00:00.000Z')
    expect((await f.t.core.runSync('all', 'manual')).applied).toEqual({ 'delete-user': 1 })
    expect(userRow(f.t.db, 'ann@example.org')).toMatchObject({ status: 'deleted', deleted_at: '2025-03-02T08:00:00.000Z', sources: [] })

    f.t.clock.set('2025-03-31T07:59:59.000Z') // 30 days minus a second: still kept
    expect((await f.t.core.runSync('all', 'manual')).applied).toEqual({})
    expect(userRow(f.t.db, 'ann@example.org')?.status).toBe('deleted')

    f.t.clock.set('2025-04-01T08:00:00.000Z') // 30 days (the default retention) have passed
    expect((await f.t.core.runSync('all', 'manual')).applied).toEqual({ 'purge-user': 1 })
    expect(userRow(f.t.db, 'ann@example.org')).toBeUndefined()
    expect(addressTypes(f.t.db, 'ann@example.org')).toEqual({})
    const audit = f.t.db.prepare("SELECT at, event, subject, detail FROM audit WHERE subject = 'ann@example.org' ORDER BY seq").all() as Array<{ event: string; detail: string }>
    expect(audit.map((a) => a.event)).toEqual(['user-deleted', 'user-purged'])
    expect(JSON.parse(audit[1]?.detail ?? '{}')).toMatchObject({ integrations: [id] })
  })

  it('the retention period is the account setting: with 7 days, the purge comes after 7 days', async () => {
    const f = fixture()
    f.t.core.setAccount({ retentionDays: 7 })
    await f.add('HR', { users: users('ann', 'bob') }, { deleteUsers: true })
    await f.t.core.runSync('all', 'manual')
    f.write('HR', { users: users('bob') })
    await f.t.core.runSync('all', 'manual')
    f.t.clock.advanceDays(6)
    expect((await f.t.core.runSync('all', 'manual')).applied).toEqual({})
    f.t.clock.advanceDays(1)
    expect((await f.t.core.runSync('all', 'manual')).applied).toEqual({ 'purge-user': 1 })
  })

  it('a soft-deleted user who comes back to the directory is restored', async () => {
    const f = fixture()
    await f.add('HR', { users: users('ann', 'bob') }, { deleteUsers: true })
    await f.t.core.runSync('all', 'manual')
    f.write('HR', { users: users('bob') })
    await f.t.core.runSync('all', 'manual')
    f.write('HR', { users: users('ann', 'bob') })
    expect((await f.t.core.runSync('all', 'manual')).applied).toEqual({ 'enable-user': 1 })
    expect(userRow(f.t.db, 'ann@example.org')).toMatchObject({ status: 'active', deleted_at: null })
  })

  it('a user backed by two integrations survives removal from one: no destructive action, its sources updated', async () => {
    const f = fixture()
    const a = await f.add('A', { users: [user('ann', { aliases: ['a@example.org'] })], groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann'] }] }, { deleteUsers: true })
    const b = await f.add('B', { users: [user('ann', { aliases: ['a@example.org'] }), ...users('bob')], groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann'] }] }, { deleteUsers: true })
    await f.t.core.runSync('all', 'manual')
    expect(userRow(f.t.db, 'ann@example.org')?.sources).toEqual([a, b].sort())

    f.write('B', { users: users('bob'), groups: [{ cn: 'staff', mail: 'staff@example.org', members: [] }] })
    const run = await f.t.core.runSync('all', 'manual')
    expect(destructiveApplied(run.applied)).toEqual([])
    expect(run.held).toEqual({})
    expect(userRow(f.t.db, 'ann@example.org')).toMatchObject({ status: 'active', sources: [a] })
    expect(addressTypes(f.t.db, 'ann@example.org')).toEqual({ 'a@example.org': 'directory', 'ann@example.org': 'directory' })
    expect(members(f.t.db, 'staff@example.org')).toEqual(['ann@example.org'])
    const membership = dumpAccount(f.t.db).memberships.find((m) => (m as { group_key: string }).group_key === 'staff@example.org') as { sources: string }
    expect(JSON.parse(membership.sources)).toEqual([a])
  })
})

describe('threshold: when the destructive actions attributed to one integration exceed its "maximum unlinks", all of them are held', () => {
  const thirty = Array.from({ length: 30 }, (_, i) => `a${String(i).padStart(2, '0')}`)
  const cases: ReadonlyArray<readonly [IntegrationPolicy['maxUnlinks'], number, 'held' | 'applied']> = [
    [10, 11, 'held'],
    [10, 10, 'applied'],
    [0, 1, 'held'],
    ['unlimited', 11, 'applied'],
    [500, 11, 'applied'],
  ]
  it.each(cases)('maximum unlinks %s, %i users removed from A → %s; B\'s removal in the same run applies', async (limit, removed, expected) => {
    const f = fixture()
    const a = await f.add('A', { users: users(...thirty) }, { maxUnlinks: limit })
    await f.add('B', { users: users('bob', 'cid') }, { maxUnlinks: 10 })
    await f.t.core.runSync('all', 'manual')
    f.write('A', { users: users(...thirty.slice(removed)) })
    f.write('B', { users: users('bob') })
    const run = await f.t.core.runSync('all', 'manual')

    expect(addressTypes(f.t.db, 'cid@example.org')).toEqual({ 'cid@example.org': 'transit' })
    const gone = thirty.slice(0, removed).map((uid) => addressTypes(f.t.db, `${uid}@example.org`)[`${uid}@example.org`])
    expect(new Set(gone)).toEqual(new Set([expected === 'held' ? 'directory' : 'transit']))
    if (expected === 'held') {
      expect(run.held).toEqual({ 'demote-address': removed })
      expect(run.applied).toEqual({ 'demote-address': 1 })
      const held = f.t.core.listHeld({ integrationId: a }, 0, 100)
      expect(held.total).toBe(removed)
      expect(held.actions.every((h) => h.reason === 'threshold' && h.reasonText.includes(`A would make ${removed} destructive changes in one run; its maximum unlinks is ${String(limit)}.`))).toBe(true)
      expect(f.t.core.status().thresholdHolds).toEqual([{ integrationId: a, name: 'A', deleted: false, count: removed, limit }])
    } else {
      expect(run.held).toEqual({})
      expect(run.applied).toEqual({ 'demote-address': removed + 1 })
    }
  })

  it('approving one held action applies exactly that one at the next run, and the approval records who, when and which run', async () => {
    const f = fixture()
    const a = await f.add('A', { users: users(...thirty) }, { maxUnlinks: 10 })
    await f.t.core.runSync('all', 'manual')
    f.write('A', { users: users(...thirty.slice(12)) })
    await f.t.core.runSync('all', 'manual')
    const held = f.t.core.listHeld({ integrationId: a }, 0, 100).actions
    expect(held).toHaveLength(12)
    const chosen = held.find((h) => h.target === 'a05@example.org')
    if (!chosen) throw new Error('expected a05 to be held')

    f.t.clock.set('2025-03-01T12:00:00.000Z')
    expect(f.t.core.approve({ actionIds: [chosen.id] })).toEqual({ approved: 1, refused: [] })
    expect(f.t.core.listHeld({ integrationId: a }, 0, 100).actions.filter((h) => h.approved).map((h) => h.id)).toEqual([chosen.id])
    f.t.clock.set('2025-03-01T13:00:00.000Z')
    const run = await f.t.core.runSync('all', 'schedule')

    expect(run.applied).toEqual({ 'demote-address': 1 })
    expect(run.held).toEqual({ 'demote-address': 11 })
    const types = thirty.slice(0, 12).map((uid) => [uid, addressTypes(f.t.db, `${uid}@example.org`)[`${uid}@example.org`]])
    expect(types.filter(([, type]) => type === 'transit').map(([uid]) => uid)).toEqual(['a05'])
    expect(f.t.core.approvals(0, 10)).toEqual([
      { id: expect.any(String) as unknown, actionId: chosen.id, kind: 'demote-address', target: 'a05@example.org', approvedBy: 'test-admin', approvedAt: '2025-03-01T12:00:00.000Z', appliedAt: '2025-03-01T13:00:00.000Z', appliedInRun: run.id },
    ])
    // Consumed: the next run applies nothing more (the other 11 still pass the limit of 10 and stay held).
    const next = await f.t.core.runSync('all', 'manual')
    expect(next.applied).toEqual({})
    expect(next.held).toEqual({ 'demote-address': 11 })
    expect(f.t.core.approvals(0, 10)).toHaveLength(1)
  })
})

describe('validation: a read that fails, returns zero objects, or shrinks past the shrink guard is rejected; the integration goes to error and the old snapshot stays', () => {
  const ten = Array.from({ length: 10 }, (_, i) => `u${i}`)
  const cases: ReadonlyArray<readonly [string, (f: Fixture) => void, Partial<IntegrationPolicy>, RegExp | null]> = [
    ['zero objects where the last snapshot had some', (f) => f.write('HR', { users: [] }), {}, /no users and no groups, where the last snapshot had 10 users/],
    ['a shrink of 60% past the default 50% guard', (f) => f.write('HR', { users: users(...ten.slice(6)) }), {}, /4 users, 60% fewer than the last snapshot's 10 \(this integration's shrink guard is 50%\)/],
    ['a shrink of 30% past a 20% guard', (f) => f.write('HR', { users: users(...ten.slice(3)) }), { shrinkGuardPercent: 20 }, /shrink guard is 20%/],
    ['a failed read (the file is gone)', (f) => rmSync(f.path('HR')), {}, /HR\.ldif/],
    ['a failed read (the file is malformed)', (f) => writeFileSync(f.path('HR'), 'dn: uid=x,dc=example,dc=org\nbroken line\n'), {}, /HR\.ldif line 2/],
    ['a shrink of 40%, within the default guard', (f) => f.write('HR', { users: users(...ten.slice(4)) }), {}, null],
  ]
  it.each(cases)('%s', async (_label, change, policy, rejected) => {
    const f = fixture()
    const id = await f.add('HR', { users: users(...ten) }, { ...policy, maxUnlinks: 'unlimited' })
    await f.t.core.runSync('all', 'manual')
    const before = f.t.core.getIntegration(id).snapshot
    const account = dumpAccount(f.t.db)
    change(f)
    f.t.clock.advanceMinutes(5)
    const run = await f.t.core.runSync('all', 'manual')
    const after = f.t.core.getIntegration(id)
    if (rejected === null) {
      expect(after.status).toBe('ok')
      expect(after.snapshot?.id).not.toBe(before?.id)
      return
    }
    expect(after.status).toBe('error')
    expect(after.statusReason).toMatch(rejected)
    expect(after.statusSince).toBe('2025-03-01T08:05:00.000Z')
    expect(after.snapshot).toEqual(before)
    expect(run.reads[0]?.outcome).toMatch(/^(rejected|failed)$/)
    expect(run.errors.join(' ')).toMatch(rejected)
    expect(dumpAccount(f.t.db)).toEqual(account)
  })

  it('an errored integration is ok again after a clean read', async () => {
    const f = fixture()
    const id = await f.add('HR', { users: users(...ten) })
    await f.t.core.runSync('all', 'manual')
    rmSync(f.path('HR'))
    await f.t.core.runSync('all', 'manual')
    expect(f.t.core.getIntegration(id).status).toBe('error')
    f.write('HR', { users: users(...ten) })
    await f.t.core.runSync('all', 'manual')
    expect(f.t.core.getIntegration(id)).toMatchObject({ status: 'ok', statusReason: null })
  })
})
