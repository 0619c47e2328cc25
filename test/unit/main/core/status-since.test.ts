import { rmSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { describeRun } from '../../../../main/cli/sync-commands.ts'
import { fixture, twoIntegrations, users } from './sync-rules-fixture.ts'

describe('"in error since" is the first failure, not the latest attempt', () => {
  it('survives several failed runs, each with another reason: integration, banner, held reason and run record all say 10:00', async () => {
    const f = fixture()
    const { oldAd } = await twoIntegrations(f)
    f.t.clock.set('2025-03-01T10:00:00.000Z')
    rmSync(f.path('Old AD'))
    f.write('New LDAP', { users: users('ann', 'bob'), groups: [{ cn: 'staff', mail: 'staff@example.org', members: ['ann'] }] })
    const first = await f.t.core.runSync('all', 'manual')
    expect(first.reads.find((r) => r.integrationId === oldAd)).toMatchObject({ outcome: 'failed', errorSince: '2025-03-01T10:00:00.000Z' })

    const attempts = ['2025-03-01T13:00:00.000Z', '2025-03-01T23:00:00.000Z', '2025-03-02T08:00:00.000Z']
    for (const [index, at] of attempts.entries()) {
      f.t.clock.set(at)
      // A second kind of failure on the way: the file comes back malformed.
      if (index === 1) writeFileSync(f.path('Old AD'), 'this is not ldif\n')
      const run = await f.t.core.runSync('all', 'manual')
      const read = run.reads.find((r) => r.integrationId === oldAd)!
      expect(read.outcome).toBe('failed')
      expect(read.errorSince).toBe('2025-03-01T10:00:00.000Z')
      expect(describeRun(run)).toContain('(in error since 2025-03-01T10:00:00.000Z)')
    }

    const integration = f.t.core.getIntegration(oldAd)
    expect(integration).toMatchObject({ status: 'error', statusSince: '2025-03-01T10:00:00.000Z' })
    expect(integration.statusReason).toMatch(/line 1/)
    expect(f.t.core.status().blockers).toEqual([expect.objectContaining({ name: 'Old AD', status: 'error', since: '2025-03-01T10:00:00.000Z' })])
    const held = f.t.core.listHeld({}, 0, 10)
    expect(held.actions[0]?.reasonText).toMatch(/Old AD \(in error since 2025-03-01T10:00:00\.000Z\)/)
  })

  it('starts again after a clean read: the next failure is a new error with its own start', async () => {
    const f = fixture()
    const { oldAd } = await twoIntegrations(f)
    f.t.clock.set('2025-03-01T10:00:00.000Z')
    rmSync(f.path('Old AD'))
    await f.t.core.runSync('all', 'manual')
    f.t.clock.set('2025-03-01T13:00:00.000Z')
    f.write('Old AD', { users: users('dan') })
    await f.t.core.runSync('all', 'manual')
    expect(f.t.core.getIntegration(oldAd)).toMatchObject({ status: 'ok', statusReason: null })
    f.t.clock.set('2025-03-01T23:00:00.000Z')
    rmSync(f.path('Old AD'))
    await f.t.core.runSync('all', 'manual')
    expect(f.t.core.getIntegration(oldAd)).toMatchObject({ status: 'error', statusSince: '2025-03-01T23:00:00.000Z' })
  })
})
