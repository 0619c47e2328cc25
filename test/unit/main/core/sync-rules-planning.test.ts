import { rmSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CoreError } from '../../../../main/core/core-errors.ts'
import { addressTypes, dumpAccount, dumpEverything, members, userRow } from '../../../helpers/test-core.ts'
import { fixture, twoIntegrations, user, users } from './sync-rules-fixture.ts'

/** DESIGN.md §1 through the real core: planning, runs and the delete-integration preview. */

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
    const preview = (await f.t.core.preview('all', 100))
    expect(preview.ignoredAddresses).toEqual([])

    f.t.core.setAccount({ internalDomains: ['example.org'] })
    expect(f.t.core.status().internalDomainsConfigured).toBe(true)
    const run = await f.t.core.runSync('all', 'manual')
    expect(run.ignoredAddresses).toBe(2)
    expect(addressTypes(f.t.db)).toEqual({ 'ann@example.org': 'directory' })
    const ignored = (await f.t.core.preview('all', 100)).ignoredAddresses
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
    const preview = (await f.t.core.preview('all', 1000))
    expect(dumpEverything(f.t.db)).toEqual(before)
    expect(preview.toApply).toEqual({ 'demote-address': 2 })
    expect(preview.toHold).toEqual({ 'remove-member': 1, 'demote-address': 1 })

    const run = await f.t.core.runSync('all', 'manual')
    expect(run.applied).toEqual(preview.toApply)
    expect(run.held).toEqual(preview.toHold)
    expect(f.t.core.listHeld({}, 0, 100).actions.map((h) => h.id)).toEqual(preview.held.map((h) => h.id))
    for (const demoted of preview.actions) expect(Object.values(addressTypes(f.t.db, demoted.target))).toEqual(['transit'])
    expect((await f.t.core.preview('all', 1000)).totalActions).toBe(0)
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
    const preview = (await f.t.core.preview({ integration: a }, 1000))
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
      // Its two members go with it: counted, though no remove-member action of their own is planned.
      membershipsOfDeletedGroups: [{ group: 'legacy', members: 2 }],
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
