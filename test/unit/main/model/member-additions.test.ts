import { describe, expect, it } from 'vitest'
import { actionId, compareActions } from '../../../../shared/domain/action-order.ts'
import type { SyncAction } from '../../../../shared/domain/sync-action.ts'
import { ActionSequence } from '../../../../main/model/action-sequence.ts'
import { plainAction } from '../../../../main/model/member-addition.ts'
import { MemberAdditionsBuilder } from '../../../../main/model/member-additions.ts'

const A: readonly string[] = Object.freeze(['a'])
const AB: readonly string[] = Object.freeze(['a', 'b'])
const groups = ['staff@example.org', 'a:1', 'Zeta@example.org', 'sales@example.org']
const members = ['zed@example.org', 'ann@example.org', 'Bob@example.org', 'ann.b@example.org', 'émile@example.org']

/** Every (group, member) pair once, in a scrambled order, groups interleaved, two source lists. */
function scrambled(): Array<[group: number, member: number, list: readonly string[]]> {
  const all: Array<[number, number, readonly string[]]> = []
  for (let g = 0; g < groups.length; g++) for (let m = 0; m < members.length; m++) if ((g + m) % 3 !== 0) all.push([g, m, (g * m) % 2 === 0 ? A : AB])
  return all.map((entry, i) => [(i * 7) % all.length, entry] as const).sort((x, y) => x[0] - y[0]).map(([, entry]) => entry)
}

describe('a plan’s add-members as columns', () => {
  it('walk in the order compareActions gives, with the ids, details and attributions objects had', () => {
    const builder = new MemberAdditionsBuilder(members.length)
    const expected: SyncAction[] = []
    for (const [g, m, list] of scrambled()) {
      const [group, member] = [groups[g] ?? '', members[m] ?? '']
      builder.add(group, `Group ${group}`, m, member, list)
      expected.push({ id: actionId('add-member', group, member), kind: 'add-member', target: group, member, detail: `${member} → Group ${group}`, integrationIds: [...list] })
    }
    const walked = [...builder.finish()].map(plainAction)
    expect(walked).toEqual(expected.sort(compareActions))
  })

  it('come between the kinds the table orders before and after add-member, and are counted in that order', () => {
    const builder = new MemberAdditionsBuilder(1)
    builder.add('staff@example.org', 'Staff', 0, 'ann@example.org', A)
    const others: SyncAction[] = [
      { id: 'create-user:ann@example.org', kind: 'create-user', target: 'ann@example.org', detail: 'Ann', integrationIds: ['a'] },
      { id: 'remove-member:staff@example.org:bob@example.org', kind: 'remove-member', target: 'staff@example.org', member: 'bob@example.org', detail: 'bob', integrationIds: ['a'] },
    ]
    const sequence = new ActionSequence(others, builder.finish())
    expect(Array.from(sequence, (a) => a.kind)).toEqual(['create-user', 'add-member', 'remove-member'])
    expect(sequence).toHaveLength(3)
    expect(Object.entries(sequence.countByKind())).toEqual([['create-user', 1], ['add-member', 1], ['remove-member', 1]])
  })

  it('an array alone is walked as it is given', () => {
    const actions: SyncAction[] = [
      { id: 'delete-group:x', kind: 'delete-group', target: 'x', detail: 'x', integrationIds: [] },
      { id: 'create-user:y', kind: 'create-user', target: 'y', detail: 'y', integrationIds: [] },
    ]
    expect(new ActionSequence(actions).toArray()).toEqual(actions)
  })
})
