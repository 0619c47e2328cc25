import { rmSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { dumpEverything } from '../../../helpers/test-core.ts'
import { fixture, user, users } from './sync-rules-fixture.ts'

describe('preview reads the directories read-only, as the next sync will', () => {
  it('right after a change in the directory, lists exactly what the next sync applies; nothing is staged, promoted or applied', async () => {
    const f = fixture()
    const id = await f.add('HR', { users: users('ann', 'bob', 'cid'), groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann', 'bob'] }] })
    await f.t.core.runSync('all', 'manual')
    f.write('HR', { users: [user('ann', { displayName: 'Ann Renamed' }), ...users('bob', 'dan')], groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann', 'dan'] }] })

    const before = dumpEverything(f.t.db)
    const integrationBefore = f.t.core.getIntegration(id)
    const preview = await f.t.core.preview('all', 1000)
    expect(dumpEverything(f.t.db)).toEqual(before)
    expect(f.t.core.getIntegration(id)).toEqual(integrationBefore)
    expect(preview.basis).toBe('read')
    expect(preview.reads).toEqual([expect.objectContaining({ integrationName: 'HR', outcome: 'read', users: 3, groups: 1, snapshotId: null })])
    expect(preview.toApply).toEqual({ 'create-user': 1, 'update-user': 1, 'add-member': 1, 'remove-member': 1, 'demote-address': 1 })

    const offline = await f.t.core.preview('all', 1000, { fromSnapshots: true })
    expect(offline).toMatchObject({ basis: 'snapshots', reads: [], totalActions: 0 })

    const run = await f.t.core.runSync('all', 'manual')
    expect(run.applied).toEqual(preview.toApply)
    expect(run.held).toEqual(preview.toHold)
    expect((await f.t.core.preview('all', 1000)).totalActions).toBe(0)
  })

  it('a directory that cannot be read previews as the sync would: in error, its destructive actions held', async () => {
    const f = fixture()
    await f.add('HR', { users: users('ann', 'bob') })
    await f.t.core.runSync('all', 'manual')
    f.write('HR', { users: users('ann') })
    await f.add('Broken', { users: users('zed') })
    rmSync(f.path('Broken'))
    const preview = await f.t.core.preview('all', 1000)
    expect(preview.reads.map((r) => [r.integrationName, r.outcome])).toEqual([['Broken', 'failed'], ['HR', 'read']])
    expect(preview.toHold).toEqual({ 'demote-address': 1 })
    expect(preview.held[0]?.reasonText).toMatch(/Broken \(in error since/)
  })
})
