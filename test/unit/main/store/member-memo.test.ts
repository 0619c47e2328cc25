import { describe, expect, it } from 'vitest'
import { MemberAddition } from '../../../../main/model/member-addition.ts'
import { memoByMember } from '../../../../main/store/member-memo.ts'

describe('memoByMember', () => {
  it('looks a member up once by address, then by its number in the plan; an action without a number each time', () => {
    const looked: string[] = []
    const memo = memoByMember((address) => (looked.push(address), address.length))
    const ids = ['hr']
    for (const group of ['sales', 'staff', 'finance']) memo.of(new MemberAddition(group, group, 'ann@example.org', ids, 5000))
    expect(memo.of(new MemberAddition('staff', 'staff', 'bo@example.org', ids, 7))).toBe('bo@example.org'.length)
    expect(looked).toEqual(['ann@example.org', 'bo@example.org'])
    memo.of({ id: 'x', kind: 'add-member', target: 'staff', member: 'cy@example.org', detail: '', integrationIds: ids })
    memo.of({ id: 'x', kind: 'add-member', target: 'sales', member: 'cy@example.org', detail: '', integrationIds: ids })
    expect(looked.slice(2)).toEqual(['cy@example.org', 'cy@example.org'])
    memo.forget()
    memo.of(new MemberAddition('sales', 'sales', 'ann@example.org', ids, 5000))
    expect(looked.at(-1)).toBe('ann@example.org')
    expect(looked).toHaveLength(5)
  })
})
