import { describe, expect, it } from 'vitest'
import { addMembersDelta, listShows, memberChanges, mergeExpectations, nestedGroups, transitiveUsers, type DirectMembers } from '../../../../../main/connectors/entra/entra-membership.ts'

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
  it('reads what a members@delta list added and removed', () => {
    expect(memberChanges([user('u1'), user('u2', true)])).toEqual({ added: ['u1'], removed: ['u2'] })
  })

  it('lets the later change win for a member added then removed', () => {
    expect(mergeExpectations({ added: ['u1'], removed: [] }, { added: [], removed: ['u1'] })).toEqual({ added: [], removed: ['u1'] })
  })
})

describe('listShows', () => {
  const listed = new Set(['u1', 'u3'])

  it('accepts a list that shows every added member and no removed one', () => {
    expect(listShows(listed, { added: ['u1'], removed: ['u2'] }, true)).toBe(true)
  })

  it('refuses a list that lacks an added member (an old replica answered)', () => {
    expect(listShows(listed, { added: ['u2'], removed: [] }, true)).toBe(false)
  })

  it('checks removals on direct lists only: in a transitive list the member may still come through another group', () => {
    expect(listShows(listed, { added: [], removed: ['u3'] }, true)).toBe(false)
    expect(listShows(listed, { added: [], removed: ['u3'] }, false)).toBe(true)
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
