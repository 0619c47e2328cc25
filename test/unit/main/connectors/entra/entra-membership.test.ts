import { describe, expect, it } from 'vitest'
import { addMembersDelta, listShows, memberChanges, mergeExpectations, nestedGroups, removalStands, transitiveUsers, type DirectMembers } from '../../../../../main/connectors/entra/entra-membership.ts'

const user = (id: string, removed = false) => ({ '@odata.type': '#microsoft.graph.user', id, ...(removed ? { '@removed': { reason: 'deleted' } } : {}) })
const group = (id: string) => ({ '@odata.type': '#microsoft.graph.group', id })

describe('addMembersDelta', () => {
  it('adds users and groups, drops removed ones, and ignores devices', () => {
    const into: DirectMembers = { users: new Set(['u0']), groups: new Set() }
    addMembersDelta(into, [user('u1'), group('g1'), user('u0', true), { '@odata.type': '#microsoft.graph.device', id: 'd1' }])
    expect([...into.users]).toEqual(['u1'])
    expect([...into.groups]).toEqual(['g1'])
  })
})

describe('memberChanges and mergeExpectations', () => {
  it('reads what a members@delta list added and removed (removed from this very group)', () => {
    expect(memberChanges([user('u1'), user('u2', true)])).toEqual({ added: ['u1'], removed: ['u2'], removedHere: ['u2'] })
  })

  it('lets the later change win for a member added then removed, and back', () => {
    expect(mergeExpectations({ added: ['u1'], removed: [] }, { added: [], removed: ['u1'], removedHere: ['u1'] })).toEqual({ added: [], removed: ['u1'], removedHere: ['u1'] })
    expect(mergeExpectations({ added: [], removed: ['u1'], removedHere: ['u1'] }, { added: ['u1'], removed: [] })).toEqual({ added: ['u1'], removed: [], removedHere: [] })
  })

  it('keeps a removal propagated from a nested group apart from one made on the group itself', () => {
    expect(mergeExpectations(undefined, { added: [], removed: ['u9'] })).toEqual({ added: [], removed: ['u9'], removedHere: [] })
  })
})

describe('listShows', () => {
  const listed = new Set(['u1', 'u3'])

  it('accepts a list that shows every added member and no removed one', () => {
    expect(listShows(listed, { added: ['u1'], removed: ['u2'] }, true)).toEqual({ shows: true, unsettled: [] })
  })

  it('refuses a list that lacks an added member (an old replica answered)', () => {
    expect(listShows(listed, { added: ['u2'], removed: [] }, true).shows).toBe(false)
  })

  it('refuses a direct list that still shows a removed member; on a transitive list leaves it to be settled against the direct lists', () => {
    expect(listShows(listed, { added: [], removed: ['u3'] }, true).shows).toBe(false)
    expect(listShows(listed, { added: [], removed: ['u3'] }, false)).toEqual({ shows: true, unsettled: ['u3'] })
  })
})

describe('removalStands: a member removed in a nested group that a transitive list still shows', () => {
  const lists: Record<string, ReadonlySet<string> | null> = { parent: new Set(['child']), child: new Set(['u1']), other: new Set(['u1']), gone: null }
  const direct = (id: string) => Promise.resolve(lists[id] ?? new Set<string>())
  const removedFromChild = (id: string): ReadonlySet<string> => new Set(id === 'child' ? ['u1'] : [])

  it('is stale when the group its own delta removed it from still lists it (an old replica)', async () => {
    expect(await removalStands('u1', ['parent', 'child'], direct, removedFromChild)).toBe('stale')
  })

  it('is kept when another nested group still lists it directly', async () => {
    expect(await removalStands('u1', ['parent', 'other', 'child'], direct, removedFromChild)).toBe('kept')
  })

  it('is stale when no group in reach lists it directly, or a direct list cannot be read yet', async () => {
    expect(await removalStands('u1', ['parent'], direct, removedFromChild)).toBe('stale')
    expect(await removalStands('u1', ['gone', 'other'], (id) => Promise.resolve(lists[id] === undefined ? new Set<string>() : lists[id]!), removedFromChild)).toBe('stale')
  })
})

describe('transitiveUsers and nestedGroups', () => {
  const direct = new Map<string, DirectMembers>([
    ['a', { users: new Set(['u1']), groups: new Set(['b']) }],
    ['b', { users: new Set(['u2']), groups: new Set(['c']) }],
    ['c', { users: new Set(['u3']), groups: new Set(['a']) }],
  ])

  it('flattens nested groups, cycles included', () => {
    expect(transitiveUsers('a', direct).sort()).toEqual(['u1', 'u2', 'u3'])
    expect(nestedGroups('a', direct).sort()).toEqual(['b', 'c'])
  })
})
