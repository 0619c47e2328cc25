import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { syntheticOrg, writeLdifSync } from '../../../helpers/ldif-writer.ts'
import { makeTempDir, openTestCore, testClock } from '../../../helpers/test-core.ts'

const tmp = makeTempDir('dirsync-applier')
afterAll(() => tmp.remove())

describe('applyGatedRun', () => {
  it('records the run as finished when the apply has ended, not when it started', async () => {
    const clock = testClock('2025-03-01T08:00:00.000Z')
    // Every applied action "takes" one minute on the test clock.
    const t = openTestCore(join(tmp.path, 'slow-apply'), clock, 'test-admin', (point) => {
      if (point === 'apply') clock.advanceMinutes(1)
    })
    const ldif = join(tmp.path, 'org.ldif')
    writeLdifSync(ldif, syntheticOrg(30, 2))
    await t.addLdif('Directory', ldif)
    const run = await t.core.runSync('all', 'manual')
    const actions = Object.values(run.applied).reduce((a, b) => a + b, 0)
    expect(actions).toBeGreaterThan(30)
    expect(Date.parse(run.finishedAt ?? '') - Date.parse(run.startedAt)).toBeGreaterThanOrEqual(actions * 60_000)
    expect(t.core.run(run.id).finishedAt).toBe(run.finishedAt)
    t.close()
  })

  it('gives the probe every point of the transaction in order, the actions counted from 1', async () => {
    const seen: string[] = []
    const t = openTestCore(join(tmp.path, 'points'), testClock(), 'test-admin', (point, count) => void seen.push(point === 'apply' ? `apply:${count}` : point))
    const ldif = join(tmp.path, 'small.ldif')
    writeLdifSync(ldif, syntheticOrg(2, 1))
    await t.addLdif('Directory', ldif)
    await t.core.runSync('all', 'manual')
    expect(seen).toEqual(['apply:1', 'apply:2', 'apply:3', 'apply:4', 'apply:5', 'link', 'held', 'commit'])
    t.close()
  })
})

describe('foreign keys around the apply', () => {
  it('skips the per-row checks only for its own transaction: afterwards the store enforces them again', async () => {
    const t = openTestCore(join(tmp.path, 'fk'), testClock())
    const ldif = join(tmp.path, 'fk.ldif')
    writeLdifSync(ldif, syntheticOrg(20, 2))
    await t.addLdif('Directory', ldif)
    await t.core.runSync('all', 'manual')
    expect(t.db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(t.db.pragma('foreign_key_check')).toEqual([])
    expect(() => t.db.prepare('INSERT INTO memberships (group_id, user_id, sources) VALUES (999999, 999999, 0)').run()).toThrow(/FOREIGN KEY/)
    t.close()
  })
})
