import { describe, expect, it } from 'vitest'
import { addMemberRow, flattenGoogleMembers, type GoogleMembers } from '../../../../../main/connectors/google/google-members.ts'

const empty = (): GoogleMembers => ({ users: new Set(), groups: new Set(), customer: false, outside: new Map() })
const ours = (id: string): boolean => id.startsWith('u')

describe('addMemberRow', () => {
  it('sorts USER, GROUP and CUSTOMER rows, and keeps users of other organisations apart with their address', () => {
    const m = empty()
    for (const row of [{ type: 'USER', id: 'u1' }, { type: 'GROUP', id: 'g1' }, { type: 'CUSTOMER', id: 'C01' }, { type: 'USER', id: 'x9', email: 'partner@gmail.com' }]) addMemberRow(m, row, ours)
    expect([...m.users]).toEqual(['u1'])
    expect([...m.groups]).toEqual(['g1'])
    expect(m.customer).toBe(true)
    expect([...m.outside]).toEqual([['x9', 'partner@gmail.com']])
  })
})

describe('flattenGoogleMembers', () => {
  const imported = new Set(['u1', 'u2', 'u3'])

  it('walks nested groups, cycles included, and keeps only imported users', () => {
    const direct = new Map<string, GoogleMembers>([
      ['a', { ...empty(), users: new Set(['u1', 'u-filtered']), groups: new Set(['b']) }],
      ['b', { ...empty(), users: new Set(['u2']), groups: new Set(['a']) }],
    ])
    expect(flattenGoogleMembers('a', direct, imported).sort()).toEqual(['u1', 'u2'])
  })

  it('counts every imported user for a CUSTOMER row anywhere below', () => {
    const direct = new Map<string, GoogleMembers>([
      ['a', { ...empty(), groups: new Set(['b']) }],
      ['b', { ...empty(), customer: true }],
    ])
    expect(flattenGoogleMembers('a', direct, imported).sort()).toEqual(['u1', 'u2', 'u3'])
  })
})
