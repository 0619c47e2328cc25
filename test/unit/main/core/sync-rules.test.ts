import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { IntegrationPolicy } from '../../../../shared/domain/integration-policy.ts'
import { isDestructiveKind, type ActionKind } from '../../../../shared/domain/sync-action.ts'
import { CoreError } from '../../../../main/core/core-errors.ts'
import { writeLdifSync, type LdifOrg, type LdifUser } from '../../../helpers/ldif-writer.ts'
import { addressTypes, dumpAccount, dumpEverything, makeTempDir, members, openTestCore, userRow, type TestCore } from '../../../helpers/test-core.ts'

/**
 * DESIGN.md §1–§2, rule by rule, through the real core (`createCore`) on a real SQLite data
 * directory, with ldif-file integrations reading real LDIF files that the tests rewrite between runs.
 */

interface Fixture {
  readonly t: TestCore
  /** Writes the LDIF file behind integration `name` (its path is `<tmp>/<name>.ldif`). */
  write(name: string, org: LdifOrg): void
  path(name: string): string
  add(name: string, org: LdifOrg, policy?: Partial<IntegrationPolicy>): Promise<string>
}

function fixture(): Fixture {
  const dir = makeTempDir('sync-rules')
  const t = openTestCore(join(dir.path, 'data'))
  onTestFinished(() => {
    t.close()
    dir.remove()
  })
  const path = (name: string): string => join(dir.path, `${name.replace(/\W+/g, '-')}.ldif`)
  const write = (name: string, org: LdifOrg): void => writeLdifSync(path(name), org)
  return {
    t,
    write,
    path,
    async add(name, org, policy = {}) {
      write(name, org)
      return t.addLdif(name, path(name), policy)
    },
  }
}

const user = (uid: string, extra: Partial<LdifUser> = {}): LdifUser => ({ uid, mail: `${uid}@example.org`, displayName: uid, ...extra })
const users = (...uids: string[]): LdifUser[] => uids.map((uid) => user(uid))
const destructiveApplied = (applied: Record<string, number>): string[] => Object.keys(applied).filter((kind) => isDestructiveKind(kind as ActionKind))

/** Old AD (dan) and New LDAP (ann, bob in staff@): the starting point of most gate tests, synced once. */
async function twoIntegrations(f: Fixture): Promise<{ oldAd: string; newLdap: string }> {
  const oldAd = await f.add('Old AD', { users: users('dan') })
  const newLdap = await f.add('New LDAP', { users: users('ann', 'bob'), groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann', 'bob'] }] })
  const first = await f.t.core.runSync('all', 'manual')
  expect(first.outcome).toBe('success')
  expect(members(f.t.db, 'staff@example.org')).toEqual(['ann@example.org', 'bob@example.org'])
  return { oldAd, newLdap }
}

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
    const membership = f.t.db.prepare("SELECT sources FROM memberships WHERE group_key = 'staff@example.org'").get() as { sources: string }
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
      expect(f.t.core.status().thresholdHolds).toEqual([{ integrationId: a, name: 'A', count: removed, limit }])
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

describe('planning: desired state = the union of the latest snapshots of all integrations', () => {
  it('a disabled integration still contributes its last snapshot: its users are not demoted (nothing is even planned for them)', async () => {
    const f = fixture()
    const { oldAd } = await twoIntegrations(f)
    f.t.core.setEnabled(oldAd, false)
    const run = await f.t.core.runSync('all', 'manual')
    expect(run.reads.map((r) => r.integrationName)).toEqual(['New LDAP'])
    expect(run.applied).toEqual({})
    expect(run.held).toEqual({})
    expect(addressTypes(f.t.db, 'dan@example.org')).toEqual({ 'dan@example.org': 'directory' })
    expect(userRow(f.t.db, 'dan@example.org')?.sources).toEqual([oldAd])
  })

  it('an integration in error still contributes its last good snapshot', async () => {
    const f = fixture()
    await twoIntegrations(f)
    rmSync(f.path('Old AD'))
    const run = await f.t.core.runSync('all', 'manual')
    expect(run.held).toEqual({})
    expect(addressTypes(f.t.db, 'dan@example.org')).toEqual({ 'dan@example.org': 'directory' })
  })

  it('Sync one integration reads only it but plans account-wide (the other integrations\' snapshots count)', async () => {
    const f = fixture()
    const a = await f.add('A', { users: users('ann') })
    const b = await f.add('B', { users: users('bob') })
    const first = await f.t.core.runSync({ integration: a }, 'manual')
    expect(first.reads.map((r) => r.integrationId)).toEqual([a])
    expect(first.applied).toEqual({ 'create-user': 1 })
    const second = await f.t.core.runSync({ integration: 'B' }, 'manual')
    expect(second.reads.map((r) => r.integrationId)).toEqual([b])
    expect(second.applied).toEqual({ 'create-user': 1 })
    expect(addressTypes(f.t.db)).toEqual({ 'ann@example.org': 'directory', 'bob@example.org': 'directory' })
    // A change in A's file is not read by a sync of B …
    f.write('A', { users: users('ann', 'cid') })
    expect((await f.t.core.runSync({ integration: b }, 'manual')).applied).toEqual({})
    // … but a run of B applies what A's snapshot asks for, account-wide (here: A's file re-read first).
    await f.t.core.runSync({ integration: a }, 'manual')
    expect(userRow(f.t.db, 'cid@example.org')?.sources).toEqual([a])
  })

  it('Sync one integration applies account-wide pending changes of other integrations too', async () => {
    const f = fixture()
    const a = await f.add('A', { users: users('ann', 'dan') })
    await f.add('B', { users: users('bob') })
    await f.t.core.runSync('all', 'manual')
    // A's removal of dan is read and held (A breaks the threshold 0) …
    await f.t.core.updateIntegration({ id: a, policy: { maxUnlinks: 0 } })
    f.write('A', { users: users('ann') })
    await f.t.core.runSync({ integration: a }, 'manual')
    expect(addressTypes(f.t.db, 'dan@example.org')).toEqual({ 'dan@example.org': 'directory' })
    // … and once the limit is raised, a sync of B alone applies it: the plan is the account's, not B's.
    await f.t.core.updateIntegration({ id: a, policy: { maxUnlinks: 500 } })
    const run = await f.t.core.runSync({ integration: 'B' }, 'manual')
    expect(run.applied).toEqual({ 'demote-address': 1 })
    expect(addressTypes(f.t.db, 'dan@example.org')).toEqual({ 'dan@example.org': 'transit' })
  })

  it('addresses outside the internal domains are ignored and reported; without internal domains every domain counts', async () => {
    const f = fixture()
    await f.add('HR', { users: [user('ann', { aliases: ['ann@partner.test'] }), { uid: 'zed', mail: 'zed@partner.test' }] })
    expect(f.t.core.status().internalDomainsConfigured).toBe(false)
    const preview = f.t.core.preview('all', 100)
    expect(preview.ignoredAddresses).toEqual([])

    f.t.core.setAccount({ internalDomains: ['example.org'] })
    expect(f.t.core.status().internalDomainsConfigured).toBe(true)
    const run = await f.t.core.runSync('all', 'manual')
    expect(run.ignoredAddresses).toBe(2)
    expect(addressTypes(f.t.db)).toEqual({ 'ann@example.org': 'directory' })
    const ignored = f.t.core.preview('all', 100).ignoredAddresses
    expect(ignored.map((i) => i.address).sort()).toEqual(['ann@partner.test', 'zed@partner.test'])
    expect(ignored.every((i) => i.reason === 'domain partner.test is not an internal domain of the account')).toBe(true)

    f.t.core.setAccount({ internalDomains: [] })
    const all = await f.t.core.runSync('all', 'manual')
    expect(all.ignoredAddresses).toBe(0)
    expect(addressTypes(f.t.db)).toEqual({ 'ann@example.org': 'directory', 'ann@partner.test': 'directory', 'zed@partner.test': 'directory' })
  })

  const acknowledge: ReadonlyArray<readonly [boolean, 'disabled' | 'active']> = [
    [true, 'disabled'],
    [false, 'active'],
  ]
  it.each(acknowledge)('acknowledge disabled accounts = %s: a user disabled in the directory is %s in the account', async (on, status) => {
    const f = fixture()
    await f.add('HR', { users: [user('ann'), user('bob', { disabled: true })] }, { acknowledgeDisabledAccounts: on })
    await f.t.core.runSync('all', 'manual')
    expect(userRow(f.t.db, 'bob@example.org')?.status).toBe(status)
    f.write('HR', { users: [user('ann', { disabled: true }), user('bob', { disabled: true })] })
    const run = await f.t.core.runSync('all', 'manual')
    expect(run.applied).toEqual(on ? { 'disable-user': 1 } : {})
    expect(userRow(f.t.db, 'ann@example.org')?.status).toBe(status)
  })

  it('a disabled user re-enabled in the directory is re-enabled in the account; turning acknowledgement off re-enables disabled users', async () => {
    const f = fixture()
    const id = await f.add('HR', { users: [user('ann', { disabled: true }), user('bob', { disabled: true })] })
    await f.t.core.runSync('all', 'manual')
    f.write('HR', { users: [user('ann'), user('bob', { disabled: true })] })
    expect((await f.t.core.runSync('all', 'manual')).applied).toEqual({ 'enable-user': 1 })
    expect(userRow(f.t.db, 'ann@example.org')?.status).toBe('active')
    await f.t.core.updateIntegration({ id, policy: { acknowledgeDisabledAccounts: false } })
    expect((await f.t.core.runSync('all', 'manual')).applied).toEqual({ 'enable-user': 1 })
    expect(userRow(f.t.db, 'bob@example.org')?.status).toBe('active')
  })

  it('a user disabled in one directory but enabled in another stays enabled (any enabled source wins)', async () => {
    const f = fixture()
    await f.add('A', { users: [user('ann', { disabled: true })] })
    await f.add('B', { users: [user('ann')] })
    await f.t.core.runSync('all', 'manual')
    expect(userRow(f.t.db, 'ann@example.org')?.status).toBe('active')
  })
})

describe('runs: never overlap; preview is the same plan minus the write', () => {
  it('concurrent Sync All requests → exactly one run; the other is refused with a clear "busy" message', async () => {
    const f = fixture()
    await f.add('HR', { users: users('ann', 'bob') })
    const results = await Promise.allSettled([f.t.core.runSync('all', 'manual'), f.t.core.runSync('all', 'manual'), f.t.core.runSync('all', 'schedule')])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown)
    expect(refused).toHaveLength(2)
    for (const error of refused) {
      expect(error).toBeInstanceOf(CoreError)
      expect((error as CoreError).code).toBe('busy')
      expect((error as CoreError).message).toMatch(/A sync is already running.*Try again when it finishes\./)
    }
    expect(f.t.core.runs(0, 10)).toHaveLength(1)
    // Once it has finished, the next request runs.
    await expect(f.t.core.runSync('all', 'manual')).resolves.toMatchObject({ outcome: 'success' })
  })

  it('preview (dry run) shows the same actions the real run applies and holds, and writes nothing', async () => {
    const f = fixture()
    await f.add('A', { users: users('ann', 'bob', 'cid'), groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann', 'bob'] }] }, { maxUnlinks: 0 })
    await f.add('B', { users: [user('eve'), { uid: 'fay', mail: 'fay@example.net' }, { uid: 'gus', mail: 'gus@example.net' }] })
    await f.t.core.runSync('all', 'manual')
    // A's removals are read and held (its limit is 0) …
    f.write('A', { users: users('ann', 'bob'), groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann'] }] })
    await f.t.core.runSync({ integration: 'A' }, 'manual')
    expect(f.t.core.listHeld({}, 0, 100).total).toBe(2)
    // … and, without a new read, example.net leaves the account's domains: B's users there are to be demoted.
    f.t.core.setAccount({ internalDomains: ['example.org'] })

    const before = dumpEverything(f.t.db)
    const preview = f.t.core.preview('all', 1000)
    expect(dumpEverything(f.t.db)).toEqual(before)
    expect(preview.toApply).toEqual({ 'demote-address': 2 })
    expect(preview.toHold).toEqual({ 'remove-member': 1, 'demote-address': 1 })

    const run = await f.t.core.runSync('all', 'manual')
    expect(run.applied).toEqual(preview.toApply)
    expect(run.held).toEqual(preview.toHold)
    expect(f.t.core.listHeld({}, 0, 100).actions.map((h) => h.id)).toEqual(preview.held.map((h) => h.id))
    for (const demoted of preview.actions) expect(Object.values(addressTypes(f.t.db, demoted.target))).toEqual(['transit'])
    expect(f.t.core.preview('all', 1000).totalActions).toBe(0)
  })

  it('preview (dry run) of a run with changes to apply lists exactly those changes, and the run then makes exactly them', async () => {
    const f = fixture()
    const a = await f.add('A', { users: [user('ann', { aliases: ['a@example.org'] }), ...users('bob', 'cid')], groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann', 'bob'] }] })
    await f.t.core.runSync('all', 'manual')
    f.write('A', { users: [user('ann', { displayName: 'Ann A' }), ...users('bob', 'dan')], groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann', 'dan'] }] })
    // Read A with everything destructive held (limit 0), so the snapshot is new but the account is not fully changed.
    await f.t.core.updateIntegration({ id: a, policy: { maxUnlinks: 0 } })
    await f.t.core.runSync('all', 'manual')
    await f.t.core.updateIntegration({ id: a, policy: { maxUnlinks: 500 } })

    const before = dumpEverything(f.t.db)
    const preview = f.t.core.preview({ integration: a }, 1000)
    expect(dumpEverything(f.t.db)).toEqual(before)
    expect(preview.actions.map((x) => x.id)).toEqual([
      'remove-member:staff@example.org:bob@example.org',
      'demote-address:ann@example.org:a@example.org',
      'demote-address:cid@example.org:cid@example.org',
    ])
    expect(preview.held).toEqual([])
    const run = await f.t.core.runSync('all', 'manual')
    expect(run.applied).toEqual(preview.toApply)
    expect(members(f.t.db, 'staff@example.org')).toEqual(['ann@example.org', 'dan@example.org'])
    expect(addressTypes(f.t.db, 'ann@example.org')).toEqual({ 'a@example.org': 'transit', 'ann@example.org': 'directory' })
    expect(addressTypes(f.t.db, 'cid@example.org')).toEqual({ 'cid@example.org': 'transit' })
  })
})

describe('delete integration: an exact preview of what the deletion causes at the next sync', () => {
  it('lists the users demoted, the memberships removed, the groups deleted, the users still backed elsewhere, and whether the block lifts — and the sync then does exactly that', async () => {
    const f = fixture()
    const oldAd = await f.add('Old AD', {
      users: [...users('ann', 'bob', 'cid'), user('dan', { aliases: ['d@example.org'] })],
      groups: [
        { cn: 'staff', mail: 'staff@example.org', members: ['ann', 'bob', 'cid'] },
        { cn: 'legacy', members: ['ann', 'cid'] },
        { cn: 'shared', mail: 'shared@example.org', members: ['ann', 'dan'] },
      ],
    })
    const newLdap = await f.add('New LDAP', {
      users: [...users('ann', 'eve'), user('dan', { aliases: ['d@example.org'] })],
      groups: [
        { cn: 'staff', mail: 'staff@example.org', members: ['ann'] },
        { cn: 'shared', mail: 'shared@example.org', members: ['ann', 'dan'] },
      ],
    })
    await f.t.core.runSync('all', 'manual')
    f.t.core.setEnabled(oldAd, false)
    const before = dumpAccount(f.t.db)
    const everything = dumpEverything(f.t.db)

    const preview = f.t.core.deletePreview('Old AD')
    expect(dumpEverything(f.t.db)).toEqual(everything)
    expect(preview).toEqual({
      integrationId: oldAd,
      integrationName: 'Old AD',
      usersDemoted: ['bob@example.org', 'cid@example.org'],
      usersDeleted: [],
      membershipsRemoved: [
        { group: 'staff@example.org', member: 'bob@example.org' },
        { group: 'staff@example.org', member: 'cid@example.org' },
      ],
      // Shown by name: the key of an address-less group is internal.
      groupsDeleted: ['legacy'],
      usersStillBacked: [
        { user: 'ann@example.org', by: ['New LDAP'] },
        { user: 'dan@example.org', by: ['New LDAP'] },
      ],
      liftsBlock: true,
      remainingBlockers: [],
      holdNote: null,
    })

    await expect(f.t.core.deleteIntegration(oldAd, 'old ad')).rejects.toThrow(/type the integration's name exactly: "Old AD"/)
    await f.t.core.deleteIntegration(oldAd, 'Old AD')
    await f.t.core.runSync('all', 'manual')
    const after = dumpAccount(f.t.db)

    type Addr = { address: string; user_address: string; type: string }
    const transitNow = (after.addresses as Addr[]).filter((r) => r.type === 'transit').map((r) => r.user_address)
    const transitBefore = (before.addresses as Addr[]).filter((r) => r.type === 'transit').map((r) => r.user_address)
    expect([...new Set(transitNow)].filter((u) => !transitBefore.includes(u)).sort()).toEqual(preview.usersDemoted)
    type Member = { group_key: string; user_address: string }
    const key = (m: Member): string => `${m.group_key}|${m.user_address}`
    const afterMembers = new Set((after.memberships as Member[]).map(key))
    const groupsAfter = new Set((after.groups as Array<{ key: string }>).map((g) => g.key))
    const removed = (before.memberships as Member[]).filter((m) => !afterMembers.has(key(m)))
    expect(removed.filter((m) => groupsAfter.has(m.group_key)).map((m) => ({ group: m.group_key, member: m.user_address }))).toEqual(preview.membershipsRemoved)
    expect((before.groups as Array<{ key: string; name: string }>).filter((g) => !groupsAfter.has(g.key)).map((g) => g.name)).toEqual(preview.groupsDeleted)
    for (const { user: address } of preview.usersStillBacked) {
      expect(userRow(f.t.db, address)?.sources).toEqual([newLdap])
      expect(Object.values(addressTypes(f.t.db, address))).not.toContain('transit')
    }
    expect(after.users.length).toBe(before.users.length)
  })

  it('with "delete users", the preview lists the users to be deleted, and that it would not lift a block held by another integration', async () => {
    const f = fixture()
    const hr = await f.add('HR', { users: users('ann', 'bob') }, { deleteUsers: true })
    const other = await f.add('Other', { users: users('bob', 'cid') })
    await f.add('Third', { users: users('zed') })
    await f.t.core.runSync('all', 'manual')
    f.t.core.setEnabled('Third', false)
    const preview = f.t.core.deletePreview(hr)
    expect(preview).toMatchObject({ usersDeleted: ['ann@example.org'], usersDemoted: [], usersStillBacked: [{ user: 'bob@example.org', by: ['Other'] }], liftsBlock: false, remainingBlockers: ['Third'] })
    expect(preview.holdNote).toMatch(/^1 of these changes would still be held at the next run: Paused: Third \(disabled since/)
    await f.t.core.deleteIntegration(hr, 'HR')
    f.t.core.setEnabled('Third', true)
    await f.t.core.runSync('all', 'manual')
    expect(userRow(f.t.db, 'ann@example.org')?.status).toBe('deleted')
    expect(userRow(f.t.db, 'bob@example.org')).toMatchObject({ status: 'active', sources: [other] })
  })
})
