import fc from 'fast-check'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { IntegrationPolicy } from '../../shared/domain/integration-policy.ts'
import { openDirtySetWorld, planOutcome, type DirtySetWorld } from '../helpers/dirty-set-world.ts'
import type { LdifOrg, LdifUser } from '../helpers/ldif-writer.ts'
import { makeTempDir } from '../helpers/test-core.ts'

// The store syncs every transaction to disk; in memory (where the machine has /dev/shm) the same
// time runs ten times as many histories.
const tmp = existsSync('/dev/shm') ? { path: mkdtempSync('/dev/shm/dirsync-dirty-set-'), remove(this: { path: string }): void { rmSync(this.path, { recursive: true, force: true }) } } : makeTempDir('dirsync-dirty-set')
afterAll(() => tmp.remove())

// A small world on purpose: six addresses shared by five people in three directories make alias
// swaps, folds (one person, two directories, a shared address) and conflicts common.
const ADDRESSES = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay'].map((n) => `${n}@example.org`)
const UIDS = ['u1', 'u2', 'u3', 'u4', 'u5']
/** Groups with an address are one group across directories; g2 has none (one per directory). */
const GROUPS = [{ cn: 'g1', mail: 'team@example.org' }, { cn: 'g2' }, { cn: 'g3', mail: 'all@example.org' }]
const SLOTS = 3

type Step =
  | { readonly t: 'user'; readonly slot: number; readonly uid: string; readonly mail: string; readonly aliases: string[]; readonly name: string; readonly disabled: boolean }
  | { readonly t: 'drop-user'; readonly slot: number; readonly uid: string }
  | { readonly t: 'swap'; readonly slot: number; readonly a: string; readonly b: string }
  | { readonly t: 'member'; readonly slot: number; readonly cn: string; readonly uid: string; readonly in: boolean }
  | { readonly t: 'move'; readonly slot: number; readonly uid: string; readonly from: string; readonly to: string }
  | { readonly t: 'drop-group'; readonly slot: number; readonly cn: string }
  | { readonly t: 'disable' | 'enable' | 'break' | 'fix' | 'delete' | 'create'; readonly slot: number }
  | { readonly t: 'policy'; readonly slot: number; readonly maxUnlinks: IntegrationPolicy['maxUnlinks']; readonly deleteUsers: boolean }
  | { readonly t: 'approve' }
  | { readonly t: 'time'; readonly hours: number }

/** true with this percentage. */
const chance = (percent: number): fc.Arbitrary<boolean> => fc.integer({ min: 0, max: 99 }).map((n) => n < percent)
const slot = fc.integer({ min: 0, max: SLOTS - 1 })
const uid = fc.constantFrom(...UIDS)
const cn = fc.constantFrom(...GROUPS.map((g) => g.cn))
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('user' as const), slot, uid, mail: fc.constantFrom(...ADDRESSES), aliases: fc.subarray(ADDRESSES, { maxLength: 2 }), name: fc.constantFrom('Ann', 'Bob', 'Cat'), disabled: chance(15) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('drop-user' as const), slot, uid }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('swap' as const), slot, a: uid, b: uid }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('member' as const), slot, cn, uid, in: chance(70) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('move' as const), slot, uid, from: cn, to: cn }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('drop-group' as const), slot, cn }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constantFrom('disable' as const, 'enable' as const, 'break' as const, 'fix' as const, 'delete' as const, 'create' as const), slot }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('policy' as const), slot, maxUnlinks: fc.constantFrom<IntegrationPolicy['maxUnlinks']>(0, 10, 'unlimited'), deleteUsers: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ t: 'approve' as const }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('time' as const), hours: fc.integer({ min: 1, max: 20 }) }) },
)

/** One directory as the test keeps it: users by uid, group members by cn. */
interface Directory {
  readonly users: Map<string, LdifUser>
  readonly groups: Map<string, Set<string>>
}

function org(directory: Directory): LdifOrg {
  return {
    users: [...directory.users.values()],
    groups: GROUPS.filter((g) => directory.groups.has(g.cn)).map((g) => ({ ...g, members: [...(directory.groups.get(g.cn) ?? [])].filter((m) => directory.users.has(m)) })),
  }
}

function seeded(index: number): Directory {
  const users = new Map<string, LdifUser>()
  UIDS.slice(index, index + 3).forEach((u, i) => users.set(u, { uid: u, mail: ADDRESSES[(index * 2 + i) % ADDRESSES.length] ?? '', displayName: `Seed ${u}` }))
  return { users, groups: new Map([['g1', new Set(users.keys())], ['g2', new Set([...users.keys()].slice(0, 1))]]) }
}

/** Applies one step to the directories and the store; returns nothing (the sync that follows tells). */
function perform(world: DirtySetWorld, ids: Array<string | null>, directories: Directory[], s: Step): void {
  if (s.t === 'approve') return world.approveAll()
  if (s.t === 'time') return world.clock.advanceMinutes(s.hours * 60)
  const id = ids[s.slot] ?? null
  const directory = directories[s.slot] as Directory
  switch (s.t) {
    case 'user':
      directory.users.set(s.uid, { uid: s.uid, mail: s.mail, aliases: s.aliases.filter((a) => a !== s.mail), displayName: s.name, disabled: s.disabled })
      break
    case 'drop-user':
      directory.users.delete(s.uid)
      break
    case 'swap': {
      const a = directory.users.get(s.a)
      const b = directory.users.get(s.b)
      if (a && b) {
        directory.users.set(s.a, { ...a, mail: b.mail, aliases: b.aliases ?? [] })
        directory.users.set(s.b, { ...b, mail: a.mail, aliases: a.aliases ?? [] })
      }
      break
    }
    case 'member': {
      const members = directory.groups.get(s.cn) ?? new Set<string>()
      directory.groups.set(s.cn, members)
      if (s.in) members.add(s.uid)
      else members.delete(s.uid)
      break
    }
    case 'move':
      directory.groups.get(s.from)?.delete(s.uid)
      directory.groups.set(s.to, (directory.groups.get(s.to) ?? new Set()).add(s.uid))
      break
    case 'drop-group':
      directory.groups.delete(s.cn)
      break
    case 'disable':
    case 'enable':
      if (id) world.setEnabled(id, s.t === 'enable')
      return
    case 'break':
      if (id) world.breakSource(id)
      return
    case 'fix':
      break
    case 'delete':
      if (id) world.remove(id)
      ids[s.slot] = null
      return
    case 'create':
      if (!id) ids[s.slot] = world.add(`Directory ${s.slot}.${Math.random().toString(36).slice(2, 6)}`, org(directory))
      return
    case 'policy':
      if (id) world.setPolicy(id, { maxUnlinks: s.maxUnlinks, deleteUsers: s.deleteUsers })
      return
  }
  if (id) world.write(id, org(directory))
}

describe('dirty-set planning', () => {
  it('plans exactly what the full plan would, after every step of random multi-integration histories', async () => {
    let histories = 0
    let dirtySteps = 0
    let dirtyStepsWithActions = 0
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 18 }), async (steps) => {
        const world = openDirtySetWorld(join(tmp.path, `history-${histories++}`))
        try {
          const directories = Array.from({ length: SLOTS }, (_, i) => seeded(i))
          const ids: Array<string | null> = [world.add('Directory 0', org(directories[0] as Directory), { deleteUsers: true }), world.add('Directory 1', org(directories[1] as Directory)), null]
          await world.engine.run('all', 'manual')
          for (const s of steps) {
            perform(world, ids, directories, s)
            // Read (and promote, recording the deltas) first, then compare the two plans of
            // exactly the state the next run plans from, then let that run apply its plan.
            await world.engine.run('all', 'manual', undefined, { readOnly: true })
            const check = world.engine.checkPlans()
            if (check.dirty) {
              dirtySteps++
              if (check.full.plan.actions.length > 0) dirtyStepsWithActions++
              expect(planOutcome(check.dirty.plan, check.dirty.verdict), `after ${JSON.stringify(s)}`).toEqual(planOutcome(check.full.plan, check.full.verdict))
            }
            const run = await world.engine.run('all', 'manual')
            // The daily full plan compares itself with the dirty-set plan and warns when they differ.
            expect(run.warnings.filter((w) => w.startsWith('Consistency check'))).toEqual([])
          }
        } finally {
          world.close()
        }
      }),
      { numRuns: 150 },
    )
    // The property says something only if the dirty path ran, on steps that changed something.
    expect(dirtySteps).toBeGreaterThan(500)
    expect(dirtyStepsWithActions).toBeGreaterThan(200)
  })
})
