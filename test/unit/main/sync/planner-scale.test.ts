import { describe, expect, it } from 'vitest'
import type { DirectoryGroup, DirectorySnapshotData, DirectoryUser } from '../../../../shared/domain/directory-snapshot.ts'
import { IndexedGroup, MemberRowResolver, type IndexedSnapshotData } from '../../../../main/model/indexed-snapshot.ts'
import type { PlanIntegration } from '../../../../main/model/plan-types.ts'
import { planSync } from '../../../../main/sync/planner.ts'
import { account, integration, planInput, type AccountUserSpec } from '../../../helpers/plan-fixtures.ts'

/**
 * 20,000 users in two directories mid-migration (the new one lists half of the users, some with
 * primary and alias swapped, some with a new alias), 500 groups with 20 members each, and an account that lags behind.
 * The planner must decide the same whether members come as ids (a hand-built snapshot) or as row
 * positions (what the store loads), and the same on every run.
 */
const USERS = 20_000
const GROUPS = 500
const PER_GROUP = 20

function directory(prefix: string, pick: (i: number) => boolean, swap: (i: number) => boolean): DirectorySnapshotData {
  const users: DirectoryUser[] = []
  for (let i = 0; i < USERS; i++) {
    if (!pick(i)) continue
    const [primary, alias] = swap(i) ? [`alias${i}@example.org`, `user${i}@example.org`] : [`user${i}@example.org`, `alias${i}@example.org`]
    users.push({ externalId: `${prefix}-${i}`, primaryAddress: primary, aliases: [...(i % 3 === 0 ? [alias] : []), ...(prefix === 'new' && i % 8 === 2 ? [`extra${i}@example.org`] : [])], displayName: `User ${i}`, enabled: i % 97 !== 0, attributes: { department: `Dept ${i % 7}` } })
  }
  const groups: DirectoryGroup[] = []
  for (let g = 0; g < GROUPS; g++) {
    const memberIds: string[] = []
    for (let k = 0; k < PER_GROUP; k++) {
      const i = (g * 131 + k * 977) % USERS
      if (pick(i)) memberIds.push(`${prefix}-${i}`)
    }
    if (g % 50 !== 7) groups.push({ externalId: `${prefix}-g${g}`, name: `Group ${g}`, address: g % 10 === 0 ? null : `group${g}@example.org`, memberIds })
  }
  return { users, groups }
}

/** The same snapshot as `snapshots.load()` gives it: members as row positions. */
function indexed(snapshot: DirectorySnapshotData): IndexedSnapshotData {
  const resolver = new MemberRowResolver(snapshot.users)
  const groups = snapshot.groups.map((group) => {
    for (const id of group.memberIds) resolver.add(id)
    return new IndexedGroup(group, resolver.finish(), snapshot.users)
  })
  return { users: snapshot.users, groups, memberRowsResolved: true }
}

const oldDirectory = directory('old', (i) => i % 11 !== 0, () => false)
const newDirectory = directory('new', (i) => i % 2 === 0, (i) => i % 4 === 0)
const users: AccountUserSpec[] = []
for (let i = 0; i < USERS + 100; i++) {
  if (i % 13 === 0) continue
  users.push({ address: `user${i}@example.org`, sources: ['old'], displayName: i % 17 === 0 ? 'Old name' : `User ${i}`, addresses: i % 3 === 0 ? { [`alias${i}@example.org`]: 'directory' } : {}, attributes: { department: `Dept ${i % 7}` } })
}
const groups = Array.from({ length: GROUPS }, (_, g) => ({ key: `group${g}@example.org`, name: `Group ${g}`, sources: ['old'] }))
const memberships: Array<[string, string, string[]]> = []
for (let g = 0; g < GROUPS; g++) for (let k = 0; k < PER_GROUP; k += 2) memberships.push([`group${g}@example.org`, `user${(g * 131 + k * 977 + 1) % USERS}@example.org`, ['old']])
const inAccount = new Set(users.map((u) => u.address))
const state = account({ users, groups, memberships: memberships.filter(([, user]) => inAccount.has(user)) })

const asIds: PlanIntegration[] = [integration('old', oldDirectory), integration('new', newDirectory)]
const asRows: PlanIntegration[] = [integration('old', indexed(oldDirectory)), integration('new', indexed(newDirectory))]

describe('planSync at 20,000 users', () => {
  const plan = planSync(planInput(asIds, state))

  it('plans every kind the scenario calls for', () => {
    const kinds = new Set(plan.actions.map((a) => a.kind))
    for (const kind of ['create-user', 'create-group', 'add-address', 'update-user', 'disable-user', 'add-member', 'remove-member', 'demote-address', 'delete-group'] as const) expect(kinds).toContain(kind)
    expect(plan.conflicts.some((c) => c.includes('treated as one person'))).toBe(true)
  })

  it('decides the same with members as row positions as with members as ids', () => {
    expect(planSync(planInput(asRows, state))).toEqual(plan)
  })

  it('decides the same on every run', () => {
    expect(planSync(planInput(asIds, state))).toEqual(plan)
  })
})
