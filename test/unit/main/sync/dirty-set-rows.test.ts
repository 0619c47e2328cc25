import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDirtySetWorld, planOutcome } from '../../../helpers/dirty-set-world.ts'
import { syntheticOrg, type LdifOrg } from '../../../helpers/ldif-writer.ts'
import { makeTempDir } from '../../../helpers/test-core.ts'

const tmp = makeTempDir('dirsync-dirty-rows')
afterAll(() => tmp.remove())

/** 200 users in 10 groups of 20: the whole account is 200 users, 200 addresses, 10 groups and 200 memberships. */
const ORG = syntheticOrg(200, 10)
const withNames = (org: LdifOrg, renamed: ReadonlySet<string>): LdifOrg => ({ ...org, users: org.users.map((u) => (renamed.has(u.uid) ? { ...u, displayName: `${u.displayName ?? u.uid} (renamed)` } : u)) })

describe('dirty-set planning reads only the dirty rows', () => {
  it('plans nothing and reads no row when nothing changed', async () => {
    const world = openDirtySetWorld(join(tmp.path, 'no-change'))
    world.add('Directory', ORG)
    await world.engine.run('all', 'manual')
    await world.engine.run('all', 'manual', undefined, { readOnly: true })
    const check = world.engine.checkPlans()
    expect(check.reason).toBeNull()
    expect(check.dirty?.rowsRead).toBe(0)
    expect(check.dirty?.plan.actions).toEqual([])
    expect(check.full.plan.actions).toEqual([])
    world.close()
  })

  it('plans the whole account once a day, as a consistency check, and from the dirty set again after it', async () => {
    const world = openDirtySetWorld(join(tmp.path, 'daily'))
    world.add('Directory', ORG)
    await world.engine.run('all', 'manual')
    world.clock.advanceMinutes(23 * 60)
    expect(world.engine.checkPlans().reason).toBeNull()
    world.clock.advanceMinutes(60)
    expect(world.engine.checkPlans().reason).toMatch(/periodic full plan/)
    const run = await world.engine.run('all', 'manual')
    expect(run.warnings).toEqual([])
    expect(world.engine.checkPlans().reason).toBeNull()
    world.close()
  })

  it('reads a handful of rows per changed user when 1% of the users changed, and plans what the full plan plans', async () => {
    const world = openDirtySetWorld(join(tmp.path, 'one-percent'))
    const id = world.add('Directory', ORG)
    await world.engine.run('all', 'manual')
    world.write(id, withNames(ORG, new Set(['u00007', 'u00150'])))
    await world.engine.run('all', 'manual', undefined, { readOnly: true })
    const check = world.engine.checkPlans()
    expect(check.reason).toBeNull()
    expect(check.dirty?.plan.actions.map((a) => `${a.kind} ${a.target}`)).toEqual(['update-user u00007@example.org', 'update-user u00150@example.org'])
    expect(planOutcome(check.dirty?.plan ?? check.full.plan, check.dirty?.verdict ?? check.full.verdict)).toEqual(planOutcome(check.full.plan, check.full.verdict))
    // Per user: its index entry, its snapshot row, its account user and address. A renamed user's
    // memberships are not re-planned (its addresses did not change).
    expect(check.dirty?.rowsRead).toBeLessThanOrEqual(2 * 5)
    world.close()
  })

  it('re-plans the memberships of a user whose address changed, reading its groups rather than the directory', async () => {
    const world = openDirtySetWorld(join(tmp.path, 'address-change'))
    const id = world.add('Directory', ORG)
    await world.engine.run('all', 'manual')
    world.write(id, { ...ORG, users: ORG.users.map((u) => (u.uid === 'u00042' ? { ...u, mail: 'lena@example.org' } : u)) })
    await world.engine.run('all', 'manual', undefined, { readOnly: true })
    const check = world.engine.checkPlans()
    expect(check.dirty?.plan.actions.map((a) => `${a.kind} ${a.target}${a.member ? ` ${a.member}` : ''}`).sort()).toEqual([
      'add-member group2@example.org lena@example.org',
      'create-user lena@example.org',
      'demote-address u00042@example.org',
      'remove-member group2@example.org u00042@example.org',
    ])
    expect(planOutcome(check.dirty?.plan ?? check.full.plan, check.dirty?.verdict ?? check.full.verdict)).toEqual(planOutcome(check.full.plan, check.full.verdict))
    // One pass over the snapshot's 200 memberships finds the user's group; the rest are lookups.
    expect(check.dirty?.rowsRead).toBeLessThan(40)
    world.close()
  })
})
